// `keys export`: a stored key in an export format (env line, PEM, JWK, JWKS). A JWKS of all live versions, each with
// its own `kid`, is what a JWT rotation with overlap publishes; an env line of all versions is the MultiFernet list.
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { GeneratedKey, OutputFormat } from '../../../shared/domain/generated-key.js';
import type { KeyRecord } from '../../../shared/domain/inventory.js';
import { isAsymmetric } from '../../../shared/domain/key-kinds.js';
import type { KeyRef } from '../../../shared/domain/key-names.js';
import type { GenerateService, KeyExport } from './generate-service.js';
import type { VaultService } from './vault-service.js';

export const KEY_EXPORT_FORMATS = ['env', 'pem', 'jwk', 'jwks', 'text'] as const;
export type KeyExportFormat = (typeof KEY_EXPORT_FORMATS)[number];

export interface KeyExportInput {
  ref: KeyRef;
  /** Every version that is not retired, current first. */
  allVersions?: boolean;
  format: KeyExportFormat;
  envVar?: string;
  signal?: AbortSignal;
}

export interface KeyExportResult extends KeyExport {
  versions: number[];
}

export interface KeyExportService {
  export(input: KeyExportInput): Promise<KeyExportResult>;
}

function versionsOf(record: KeyRecord, input: KeyExportInput): number[] {
  if (!input.allVersions) return [input.ref.version ?? record.current];
  if (input.ref.version !== undefined) throw new KeyturnError('usage', '--all-versions takes a key NAME, not NAME@vN.');
  const live = record.versions.filter((v) => v.status !== 'retired').map((v) => v.version);
  return [record.current, ...live.filter((v) => v !== record.current).sort((a, b) => b - a)];
}

export function createKeyExportService(deps: {
  vault: Pick<VaultService, 'show' | 'reveal'>;
  generate: GenerateService;
}): KeyExportService {
  return {
    async export(input) {
      const record = await deps.vault.show(input.ref.name);
      const versions = versionsOf(record, input);
      const several = versions.length > 1;
      if (several && input.format !== 'jwks' && input.format !== 'env')
        throw new KeyturnError(
          'usage',
          `--all-versions goes with --format jwks (the public keys of every version) or --format env (a "new,old" list); ${input.format} holds one version.`,
        );
      if (several && input.format === 'env' && isAsymmetric(record.kind))
        throw new KeyturnError(
          'usage',
          'An env line holds one PEM private key; export one version, or --format jwks for every public key.',
        );
      const format: OutputFormat = input.format;
      // A JWKS holds public keys only, but they are derived from the private keys: a "use" read, not an export.
      const reason = format === 'jwks' ? 'use' : 'export';
      const keys: GeneratedKey[] = [];
      for (const version of versions) {
        const found = record.versions.find((v) => v.version === version);
        const { value } = await deps.vault.reveal(
          { name: record.name, version },
          { reason, target: `keys export --format ${format}`, signal: input.signal },
        );
        keys.push({
          kind: record.kind,
          ...(record.alg ? { alg: record.alg } : {}),
          size: found?.size ?? 0,
          fingerprint: found?.fingerprint ?? '',
          created: found?.created ?? '',
          secret: value,
        });
      }
      const envVar = input.envVar ?? record.envVar;
      const options = envVar ? { envVar } : {};
      if (format === 'jwks') {
        const sets = await Promise.all(keys.map((k) => deps.generate.export(k, 'jwks')));
        const merged = { keys: sets.flatMap((s) => (JSON.parse(s.text) as { keys: unknown[] }).keys) };
        return { text: `${JSON.stringify(merged, null, 2)}\n`, secret: false, versions };
      }
      if (format === 'env' && several) {
        const list = { ...keys[0]!, secret: keys.map((k) => k.secret).join(',') };
        return { ...(await deps.generate.export(list, 'env', options)), versions };
      }
      return { ...(await deps.generate.export(keys[0]!, format, options)), versions };
    },
  };
}
