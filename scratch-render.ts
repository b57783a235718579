import { planRotation } from './shared/rotation/planner.ts';
import { renderMarkdown } from './shared/rotation/render-markdown.ts';
import * as f from './shared/rotation/fixtures.test-support.ts';
const plan = planRotation(f.input({ envFiles: [f.RESUMERAG_ENV], databases: [f.PII_DB], targets: [f.AWS_BUNDLE], app: { restart: 'docker-compose -f infra/docker-compose.yml up -d api', health: 'curl -fsS http://localhost:8000/api/health' } }));
process.stdout.write(renderMarkdown(plan));
