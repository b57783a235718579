// Profile from seed 000, "Upgrading from Phase 1 to Phase 2": the Phase 2 variable table, with PII_ENC_KEY required.
import type { EnvProfile } from '../types.js';

const STEP4 = 'Step 4: Generate Encryption Keys';
const STEP5 = 'Step 5: Update Environment Configuration';
const TABLE = 'Step 5: Environment Variables Summary';
const POSTGRES_ONLY =
  'the guide runs the async driver (postgresql+asyncpg), backs up with pg_dump and needs pgvector, so the database must be PostgreSQL';

export const resumeragPhase2: EnvProfile = {
  id: 'resumerag-phase2',
  title: 'ResumeRAG Phase 1 to Phase 2 (PII encryption)',
  summary: 'Phase 2 adds PII_ENC_KEY (a Fernet key, required), refresh tokens, account lockout and upload limits.',
  source: { seed: '000_49a033cdef95899d.txt', title: 'Upgrading from Phase 1 to Phase 2 - Migration Guide' },
  variables: [
    {
      name: 'DATABASE_URL',
      required: true,
      type: 'url',
      schemes: ['postgresql+asyncpg'],
      schemeNote: POSTGRES_ONLY,
      section: STEP5,
      description: 'Async SQLAlchemy URL of the PostgreSQL database.',
    },
    { name: 'REDIS_URL', required: false, type: 'url', schemes: ['redis', 'rediss'], section: STEP5, description: 'Redis connection URL.' },
    {
      name: 'SECRET_KEY',
      required: true,
      type: 'jwt-secret',
      section: `${STEP4} (Generate New JWT Secret)`,
      description: 'Signs access and refresh tokens; generate with secrets.token_urlsafe(32).',
    },
    {
      name: 'REFRESH_TOKEN_EXPIRE_DAYS',
      required: false,
      type: 'int',
      min: 1,
      default: '7',
      section: TABLE,
      description: 'Refresh token lifetime in days.',
    },
    {
      name: 'PII_ENC_KEY',
      required: true,
      type: 'fernet-key',
      section: TABLE,
      description: 'Fernet encryption key for PII; losing it makes encrypted PII unreadable.',
    },
    {
      name: 'MAX_FAILED_ATTEMPTS',
      required: false,
      type: 'int',
      min: 1,
      default: '5',
      section: TABLE,
      description: 'Login attempts before lockout.',
    },
    {
      name: 'LOCKOUT_DURATION_MINUTES',
      required: false,
      type: 'int',
      min: 1,
      default: '15',
      section: TABLE,
      description: 'Account lockout duration in minutes.',
    },
    {
      name: 'MAX_FILE_SIZE',
      required: false,
      type: 'int',
      min: 1,
      default: '52428800',
      section: TABLE,
      description: 'Max upload size in bytes (50 MB).',
    },
  ],
  patterns: [],
  checklist: [
    { item: 'Add the new Phase 2 variables to infra/.env', section: STEP5, checkedBy: ['missing-required', 'empty-value', 'weak-value'] },
    {
      item: 'PII_ENC_KEY Not Set: verify the key is in .env and check its format (base64 Fernet key)',
      section: 'Troubleshooting: PII_ENC_KEY Not Set',
      checkedBy: ['missing-required', 'invalid-format', 'public-example'],
    },
    {
      item: 'Save the generated key securely; do not reuse the example output',
      section: STEP4,
      checkedBy: ['public-example', 'reused-secret'],
    },
    {
      item: 'Production: do not ship secrets in .env files',
      section: 'Step 12: Production Secrets Management',
      checkedBy: ['tracked-by-git', 'insecure-permissions'],
      note: 'Move the values to a secrets manager (AWS Secrets Manager or Azure Key Vault), as the guide says.',
    },
    {
      item: 'Backup your .env file',
      section: 'Pre-Migration Checklist',
      checkedBy: [],
      note: "`keyturn env fix` keeps a .bak of the original bytes; a backup elsewhere is still the operator's chore.",
    },
    {
      item: 'Verify SECRET_KEY matches across restarts',
      section: 'Troubleshooting: Refresh Tokens Not Working',
      checkedBy: [],
      note: 'Needs the running service; a file check cannot see restarts.',
    },
  ],
  notes: ['The example keys printed in Step 4 are published: Keyturn reports them as public-example.'],
};
