// Renderer entry: mounts the app shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/client.js';
import { App } from './app.js';
import './styles.css';

// The UI never opens windows: Electron denies them in the main process, and here a browser would otherwise allow a popup.
Object.defineProperty(window, 'open', { value: () => null, writable: false, configurable: false });

// Asked before the first render, so the host answers while React is still mounting.
const appInfo = api.appInfo({});
appInfo.catch(() => undefined); // App reports the failure; this only marks the promise handled before it mounts
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App appInfo={appInfo} />
    </StrictMode>,
  );
}
