// How Keyturn's tests and benchmarks start Debian's Chromium: headless-friendly flags that keep it off the network
// (this machine refuses every connection beyond loopback, and Chromium would keep trying).
export const CHROMIUM_PATH = process.env.KEYTURN_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
