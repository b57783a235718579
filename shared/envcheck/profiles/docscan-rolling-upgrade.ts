// Profile from seed 001, "Production Upgrade Guide - Zero Downtime": the rolling upgrade needs almost no configuration.
import type { EnvProfile } from '../types.js';

export const docscanRollingUpgrade: EnvProfile = {
  id: 'docscan-rolling-upgrade',
  title: 'DocScan rolling upgrade (rate limiting and audit log)',
  summary: 'A zero-downtime upgrade whose new features need no new variables; only the port switch of Option C reads one.',
  source: { seed: '001_3892ed54b1ba6bcd.txt', title: 'Production Upgrade Guide - Zero Downtime' },
  variables: [
    {
      name: 'BACKEND_PORT',
      required: false,
      type: 'int',
      min: 1,
      max: 65535,
      default: '8000',
      section: 'Step 5: Graceful Backend Restart (Option C: Zero Downtime with Port Switching)',
      description: 'Port the backend listens on; Option C starts the new version on 8001 before switching back to 8000.',
    },
  ],
  patterns: [],
  checklist: [
    {
      item: 'Test configuration: main.py loads without errors',
      section: 'Step 4: Test Configuration',
      checkedBy: ['syntax-error', 'invalid-format'],
      note: 'Keyturn checks the file python-dotenv would load; the import itself needs the service.',
    },
    { item: 'Start the new version on another port (BACKEND_PORT=8001)', section: 'Step 5: Option C', checkedBy: ['invalid-format'] },
  ],
  notes: [
    'The guide says "NO CONFIGURATION NEEDED": rate limits (10/minute login, 5/minute register) and the 10 MB request limit are set in code, not in .env.',
    'The database is MySQL (mysqldump docscan_db); the guide names no variable for it, so none is checked.',
  ],
};
