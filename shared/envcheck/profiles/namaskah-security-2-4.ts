// Profile from seed 003, the 2.4.0 "Security Migration Guide": 32-character secrets, PostgreSQL, rate-limit and JWT settings.
import type { EnvProfile } from '../types.js';

const REQUIRED = 'Configuration Updates: Required Environment Variables';
const SECURITY = 'Configuration Updates: Security Configuration';

export const namaskahSecurity24: EnvProfile = {
  id: 'namaskah-security-2.4',
  title: 'Security update 2.4.0 (SECRET_KEY, JWT_SECRET_KEY, PostgreSQL)',
  summary:
    'New required SECRET_KEY and JWT_SECRET_KEY of at least 32 characters; DATABASE_URL on PostgreSQL (SQLite deprecated for production).',
  source: { seed: '003_ccde1e18ef26ab8e.txt', title: 'Security Migration Guide' },
  variables: [
    {
      name: 'SECRET_KEY',
      required: true,
      type: 'secret',
      min: 32,
      section: REQUIRED,
      description: 'Application secret, at least 32 characters.',
    },
    {
      name: 'JWT_SECRET_KEY',
      required: true,
      type: 'jwt-secret',
      min: 32,
      section: REQUIRED,
      description: 'JWT signing secret, at least 32 characters; must differ from SECRET_KEY.',
    },
    {
      name: 'DATABASE_URL',
      required: true,
      type: 'url',
      schemes: ['postgresql', 'postgresql+psycopg2', 'postgresql+psycopg', 'postgresql+asyncpg'],
      schemeNote: 'the 2.4.0 guide deprecates SQLite for production: use PostgreSQL',
      section: REQUIRED,
      description: 'PostgreSQL URL, e.g. postgresql://USER:PASSWORD@HOST:5432/DB.',
    },
    {
      name: 'RATE_LIMIT_REQUESTS',
      required: false,
      type: 'int',
      min: 1,
      default: '100',
      section: SECURITY,
      description: 'Requests allowed per window.',
    },
    {
      name: 'RATE_LIMIT_WINDOW',
      required: false,
      type: 'int',
      min: 1,
      default: '3600',
      section: SECURITY,
      description: 'Rate-limit window in seconds.',
    },
    {
      name: 'JWT_EXPIRE_MINUTES',
      required: false,
      type: 'int',
      min: 1,
      default: '480',
      section: SECURITY,
      description: 'Access token lifetime in minutes.',
    },
  ],
  patterns: [],
  checklist: [
    {
      item: 'Review current environment variables',
      section: 'Pre-Migration Checklist: Environment Preparation',
      checkedBy: ['missing-required', 'invalid-format', 'unknown-variable'],
    },
    {
      item: "SECRET_KEY and JWT_SECRET_KEY: 32-character secrets, not the guide's placeholders",
      section: REQUIRED,
      checkedBy: ['weak-value', 'reused-secret'],
    },
    { item: 'DATABASE_URL on PostgreSQL (SQLite deprecated for production)', section: REQUIRED, checkedBy: ['invalid-format'] },
    { item: 'Rate limiting and JWT settings are whole numbers', section: SECURITY, checkedBy: ['invalid-format'] },
    {
      item: 'Validate configuration (scripts/validate_config.py)',
      section: 'Deployment Steps: 2. Environment Update',
      checkedBy: ['missing-required', 'invalid-format', 'weak-value'],
    },
    {
      item: 'Verify Redis connection (for caching)',
      section: 'Pre-Migration Checklist: Dependencies',
      checkedBy: [],
      note: 'The guide names no Redis variable; connectivity needs the network.',
    },
  ],
  notes: [],
};
