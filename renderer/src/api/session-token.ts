// The web host's session token: read once from the URL fragment, then removed from the address bar and history.
const STORAGE_KEY = 'keyturn.session';

let token: string | undefined;

/**
 * Takes `#token=...` off the URL (so it is not in history, bookmarks or screenshots) and keeps it for this tab only;
 * sessionStorage lets a reload of the same tab keep working, and dies with the tab.
 */
export function takeSessionToken(): string | undefined {
  if (token) return token;
  const match = /(?:^#|&)token=([A-Za-z0-9_-]{16,128})(?:&|$)/.exec(window.location.hash);
  if (match) {
    token = match[1];
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    try {
      window.sessionStorage.setItem(STORAGE_KEY, token!);
    } catch {
      // Storage can be disabled; the token then lives in memory until the tab reloads.
    }
    return token;
  }
  try {
    token = window.sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    token = undefined;
  }
  return token;
}
