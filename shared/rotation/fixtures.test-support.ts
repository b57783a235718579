// Planner inputs for tests and golden runbooks: ResumeRAG-like keys, .env facts, targets and databases. No values.
import type { KeyRecord } from '../domain/inventory.js';
import type { KeyKind } from '../domain/key-kinds.js';
import type { DatabaseInput, EnvFileFacts, PlanInput, PushTargetInput, StepOp } from './types.js';

export const NOW = '2025-03-01T09:00:00.000Z';

export function keyRecord(
  name: string,
  kind: KeyKind,
  o: { envVar?: string; alg?: string; created?: string; versions?: number } = {},
): KeyRecord {
  const count = o.versions ?? 1;
  const versions = Array.from({ length: count }, (_, i) => ({
    version: i + 1,
    status: i + 1 === count ? ('current' as const) : ('retired' as const),
    created: o.created ?? '2024-09-01T08:00:00.000Z',
    fingerprint:
      kind.startsWith('jwt-') && kind !== 'jwt-hmac' ? `jwk-thumbprint:kid-of-${name}-v${i + 1}` : `sha256:fp-of-${name}-v${i + 1}`,
    size: 256,
    chunks: 1,
  }));
  return { name, kind, ...(o.alg ? { alg: o.alg } : {}), ...(o.envVar ? { envVar: o.envVar } : {}), tags: [], current: count, versions };
}

export const PII = keyRecord('pii-enc-key', 'fernet', { envVar: 'PII_ENC_KEY' });
export const JWT_HS = keyRecord('jwt-secret-key', 'jwt-hmac', { envVar: 'JWT_SECRET_KEY', alg: 'HS256' });
export const JWT_RS = keyRecord('jwt-signing-key', 'jwt-rsa', { envVar: 'JWT_PRIVATE_KEY', alg: 'RS256' });
export const SESSION = keyRecord('secret-key', 'secret', { envVar: 'SECRET_KEY' });

export const RESUMERAG_ENV: EnvFileFacts = {
  path: 'infra/.env',
  variables: [
    'DATABASE_URL',
    'REDIS_URL',
    'SECRET_KEY',
    'JWT_SECRET_KEY',
    'JWT_EXPIRE_MINUTES',
    'REFRESH_TOKEN_EXPIRE_DAYS',
    'PII_ENC_KEY',
  ],
  lifetimes: [
    { variable: 'JWT_EXPIRE_MINUTES', value: 15 },
    { variable: 'REFRESH_TOKEN_EXPIRE_DAYS', value: 7 },
  ],
};

export const PII_DB: DatabaseInput = {
  engine: 'postgresql',
  urlVar: 'DATABASE_URL',
  envFile: 'infra/.env',
  tables: [
    { table: 'pii_store', columns: ['email_enc', 'phone_enc'], pk: 'id' },
    { table: 'users', columns: ['full_name_enc'] },
  ],
};

export const AWS_BUNDLE: PushTargetInput = { kind: 'aws', name: 'prod-aws', bundle: 'resumerag/production' };
export const AZURE_KV: PushTargetInput = { kind: 'azure', name: 'resumerag-kv', vaultName: 'resumerag-kv' };

/**
 * The operations the golden runbooks show as Keyturn's: the vault and backups, .env writes and JWKS exports, re-encryption,
 * push and promote, and escrow updates to an existing bundle.
 */
export const RUNNABLE_NOW: StepOp[] = [
  'new-version',
  'retire',
  'backup-file',
  'backup-db',
  'env-set',
  'jwks-export',
  'reencrypt',
  'reencrypt-verify',
  'push',
  'promote',
  'escrow-update',
];

export function input(over: Partial<PlanInput> = {}): PlanInput {
  return { id: 'rotation-2025-03', now: NOW, keys: [PII], runnable: RUNNABLE_NOW, ...over };
}
