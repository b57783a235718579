// Profile from seed 004, the FastAPI-Users enterprise migration: a 256-bit SECRET_KEY and an asyncpg DATABASE_URL.
import type { EnvProfile } from '../types.js';

const STEP1 = 'Activation Steps: Step 1: Environment Preparation';
const STEP3 = 'Activation Steps: Step 3: Application Configuration';

export const muestrasFastapiUsers: EnvProfile = {
  id: 'muestras-fastapi-users',
  title: 'Muestras Univar move to FastAPI-Users (async PostgreSQL)',
  summary: 'FastAPI-Users signs tokens with SECRET_KEY (256 bits) and its async SQLAlchemy adapter needs postgresql+asyncpg.',
  source: { seed: '004_ed998f170d5e7837.txt', title: 'Enterprise Migration Guide - FastAPI-Users Integration' },
  variables: [
    {
      name: 'SECRET_KEY',
      required: true,
      type: 'jwt-secret',
      section: `${STEP1}; ${STEP3}`,
      description: 'JWT secret of at least 256 bits; settings.py falls back to a published default when it is missing.',
    },
    {
      name: 'DATABASE_URL',
      required: true,
      type: 'url',
      schemes: ['postgresql+asyncpg'],
      schemeNote: 'FastAPI-Users runs on async SQLAlchemy with asyncpg in production (aiosqlite is for development)',
      section: `${STEP1}; ${STEP3}`,
      description: 'Async PostgreSQL URL, e.g. postgresql+asyncpg://USER:PASSWORD@HOST/DB.',
    },
  ],
  patterns: [],
  checklist: [
    {
      item: 'Update environment variables: SECRET_KEY and DATABASE_URL',
      section: STEP1,
      checkedBy: ['missing-required', 'weak-value', 'invalid-format'],
    },
    {
      item: 'Do not run on the settings.py default SECRET_KEY',
      section: STEP3,
      checkedBy: ['missing-required', 'weak-value'],
      note: 'A missing SECRET_KEY silently falls back to the published default, so it is required.',
    },
    { item: 'Backup existing database', section: 'Phase 3: Production Migration', checkedBy: [], note: 'Not a variable chore.' },
  ],
  notes: [
    'Lockout and session limits (MAX_LOGIN_ATTEMPTS, LOCKOUT_DURATION, SESSION_TIMEOUT) are Python constants in this guide, not environment variables.',
  ],
};
