// Where the renderer lives inside Electron: app://keyturn/ (a privileged standard scheme, never file://).

export const APP_SCHEME = 'app';
export const APP_HOST = 'keyturn';
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True for a URL served by our protocol (Node's URL gives custom schemes an opaque origin, so compare parts). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
