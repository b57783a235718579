// The plan's file steps that put keys where the application reads them: `env-set` through the service `keyturn env set`
// uses (only .env-named files, a numbered backup, atomic, owner-only, an audit line), and `jwks-export` through the
// vault's keys export, written atomically and refused if any private member slipped into it. Paths are the plan's,
// confined by the rotation service before a step runs.
import { readFile, stat } from 'node:fs/promises';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { ref } from '../../../shared/rotation/commands.js';
import { writeBackup, writeFileAtomic } from '../files/atomic-write.js';
import type { EnvSetService } from '../services/env-set-service.js';
import type { KeyExportService } from '../services/key-export-service.js';
import type { ExecutorRegistry } from './step-executors.js';

/** JWK members that hold private or secret key material (RFC 7517/7518): none may be published. */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/** A published JWKS may be read by anyone; the copy of the one it replaces stays beside it for the rollback. */
const PUBLIC_MODE = 0o644;

export function fileExecutors(deps: { envset: () => EnvSetService; keyExport: () => KeyExportService }): ExecutorRegistry {
  return {
    'env-set': {
      mode: 'inline',
      async run(a, ctx) {
        const r = await deps.envset().set({ file: a.file, variable: a.variable, keys: a.refs }, ctx.signal);
        const written = r.versions.map((v) => ref(v.name, v.version)).join(',');
        const kept = r.backup ? `; the file before is kept as ${r.backup}` : r.created ? '; the file was created' : '';
        return `Wrote ${r.variable} = ${written} into ${a.file} (${r.how}, line ${r.line})${kept}.`;
      },
    },
    'jwks-export': {
      mode: 'inline',
      async run(a, ctx) {
        const exported = await deps.keyExport().export({
          ref: a.version === undefined ? { name: a.key } : { name: a.key, version: a.version },
          allVersions: a.version === undefined,
          format: 'jwks',
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        const jwks = JSON.parse(exported.text) as { keys: Record<string, unknown>[] };
        if (jwks.keys.some((k) => PRIVATE_JWK_MEMBERS.some((m) => m in k)))
          throw new KeyturnError(
            'refused',
            `A JWKS of ${a.key} would hold private key material (a symmetric key, or a private member); ${a.file} was not written.`,
          );
        const before = await stat(a.file).catch(() => null);
        let kept = '';
        if (before?.isFile())
          kept = `; the JWKS before is kept as ${await writeBackup(a.file, await readFile(a.file), before.mode & 0o777)}`;
        await writeFileAtomic(a.file, exported.text, { mode: PUBLIC_MODE });
        const kids = jwks.keys.map((k) => String(k.kid ?? '?')).join(', ');
        return `Wrote a JWKS of ${exported.versions.map((v) => ref(a.key, v)).join(', ')} to ${a.file} (kids ${kids}); public keys only${kept}.`;
      },
    },
  };
}
