// Profile from seed 002, the HRMS "AddSecurityEnhancements" runbook: JWT_SECRET and connection strings configured.
import type { EnvProfile } from '../types.js';

const APP_STATE = 'Pre-Migration Phase: Prerequisites Checklist (Application State)';
const STEP2 = 'Step 2: Pre-Migration Verification';

export const hrmsSecurityEnhancements: EnvProfile = {
  id: 'hrms-security-enhancements',
  title: 'HRMS AddSecurityEnhancements migration (.NET, PostgreSQL)',
  summary: 'The runbook requires JWT_SECRET and the connection strings before `dotnet ef database update` runs in Production.',
  source: { seed: '002_ba249cabe422f2a0.txt', title: 'Database Migration Runbook: Security Enhancements' },
  variables: [
    {
      name: 'JWT_SECRET',
      required: true,
      type: 'jwt-secret',
      section: `${APP_STATE}; ${STEP2}`,
      description: 'HMAC key for the API tokens; .NET refuses HS256 keys under 256 bits (32 bytes).',
    },
    {
      name: 'DOTNET_ENVIRONMENT',
      required: false,
      type: 'enum',
      values: ['Development', 'Staging', 'Production'],
      section: STEP2,
      description: 'Host environment; the runbook runs the migration with Production.',
    },
  ],
  patterns: [
    {
      label: 'ConnectionStrings__*',
      namePattern: 'ConnectionStrings__[A-Za-z0-9_]+',
      required: true,
      type: 'string',
      secret: true,
      section: APP_STATE,
      description: 'A .NET connection string (ConnectionStrings:Name, written ConnectionStrings__Name in the environment).',
    },
  ],
  checklist: [
    {
      item: 'Environment Variables: JWT_SECRET and connection strings configured',
      section: APP_STATE,
      checkedBy: ['missing-required', 'empty-value', 'weak-value', 'public-example'],
    },
    { item: 'Replace the runbook\'s export JWT_SECRET="your-production-jwt-secret-here"', section: STEP2, checkedBy: ['weak-value'] },
    {
      item: 'Database Server: PostgreSQL 12+ running and accessible',
      section: APP_STATE,
      checkedBy: [],
      note: 'Reachability needs the network; Keyturn checks only that a connection string is set.',
    },
  ],
  notes: ['Shell variables of the backup script (DB_HOST, DB_PORT, DB_NAME, DB_USER) belong to the script, not the application .env.'],
};
