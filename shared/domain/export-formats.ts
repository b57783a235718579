// Which export formats fit each kind of key, and which of them carry secret material: one table for the CLI, the
// handlers and the renderer, instead of trying each format or reading PEM text to find out.
import type { OutputFormat } from './generated-key.js';
import type { KeyKind } from './key-kinds.js';

const SYMMETRIC: readonly OutputFormat[] = ['text', 'json', 'env'];
const SIGNING_SECRET: readonly OutputFormat[] = ['text', 'json', 'env', 'jwk'];
const KEY_PAIR: readonly OutputFormat[] = ['text', 'json', 'env', 'pem', 'jwk', 'jwks'];

export const FORMATS_BY_KIND: Record<KeyKind, readonly OutputFormat[]> = {
  fernet: SYMMETRIC,
  secret: SYMMETRIC,
  'jwt-hmac': SIGNING_SECRET,
  'jwt-rsa': KEY_PAIR,
  'jwt-ec': KEY_PAIR,
  'jwt-ed25519': KEY_PAIR,
};

/** Formats that hold only public material: a JWKS (public keys by construction). Everything else is secret. */
const PUBLIC_FORMATS: ReadonlySet<OutputFormat> = new Set<OutputFormat>(['jwks']);

export function formatFits(kind: KeyKind, format: OutputFormat): boolean {
  return FORMATS_BY_KIND[kind].includes(format);
}

export function isSecretExport(format: OutputFormat): boolean {
  return !PUBLIC_FORMATS.has(format);
}
