// The URL's TLS settings as Node's tls options: the sslmode ladder mapped the way libpq means it, PEM files read
// relative to the folder the URL came from.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { TlsSettings } from '../../../shared/formats/database-url.js';

/** null: plain connection. Otherwise the options for tls.connect. */
export function tlsOptions(tls: TlsSettings, baseDir: string): ConnectionOptions | null {
  if (tls.mode === 'disable') return null;
  const read = (path: string | undefined, what: string): Buffer | undefined => {
    if (!path) return undefined;
    try {
      return readFileSync(resolve(baseDir, path));
    } catch {
      throw new KeyturnError('unreadable-input', `The ${what} named in the database URL cannot be read: ${resolve(baseDir, path)}.`);
    }
  };
  const options: ConnectionOptions = {};
  const ca = read(tls.ca, 'CA certificate file');
  const cert = read(tls.cert, 'client certificate file');
  const key = read(tls.key, 'client key file');
  if (ca) options.ca = ca;
  if (cert) options.cert = cert;
  if (key) options.key = key;
  // prefer and require encrypt without checking the certificate (libpq's meaning); verify-ca checks the chain only.
  options.rejectUnauthorized = tls.mode === 'verify-ca' || tls.mode === 'verify-full';
  if (tls.mode === 'verify-ca') options.checkServerIdentity = () => undefined;
  return options;
}
