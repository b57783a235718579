// Keyturn's version as the CLI, the SARIF output and the app's About line report it (kept equal to package.json by a test).
export const APP_VERSION = '0.1.0';
