// Saved rotation plans under KEYTURN_HOME/plans/<id>.json: the plan and the state of each step, written atomically
// under the home lock. A plan holds no values (keys are named NAME@vN), so the file is as safe as the inventory.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { PLAN_ID } from '../../../shared/rotation/planner.js';
import type { StepState } from '../../../shared/rotation/progress.js';
import type { RotationPlan } from '../../../shared/rotation/types.js';
import { writeFileAtomic } from '../files/atomic-write.js';

export interface SavedPlan {
  format: 1;
  plan: RotationPlan;
  steps: StepState[];
  /** The folder relative paths in the plan are relative to (where `rotate plan` ran); steps run against it. */
  cwd: string;
}

export class PlanStore {
  readonly dir: string;

  constructor(home: string) {
    this.dir = join(home, 'plans');
  }

  path(id: string): string {
    if (!PLAN_ID.test(id)) throw new KeyturnError('invalid-input', 'A plan id is 1-64 letters, digits, ".", "_" or "-".');
    return join(this.dir, `${id}.json`);
  }

  async create(plan: RotationPlan, cwd: string): Promise<SavedPlan> {
    const saved: SavedPlan = { format: 1, plan, steps: plan.steps.map((s) => ({ n: s.n, status: 'pending' })), cwd };
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    if (await this.exists(plan.id))
      throw new KeyturnError('already-exists', `A plan named ${plan.id} already exists; choose another --id.`);
    await writeFileAtomic(this.path(plan.id), `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
    return saved;
  }

  async exists(id: string): Promise<boolean> {
    try {
      await readFile(this.path(id));
      return true;
    } catch {
      return false;
    }
  }

  async read(id: string): Promise<SavedPlan> {
    let text: string;
    try {
      text = await readFile(this.path(id), 'utf8');
    } catch {
      throw new KeyturnError('not-found', `No plan named ${id}; "keyturn rotate status" lists the saved plans.`);
    }
    let saved: SavedPlan;
    try {
      saved = JSON.parse(text) as SavedPlan;
    } catch {
      throw new KeyturnError('io', `The plan file of ${id} is not valid JSON; it was changed outside Keyturn.`);
    }
    if (saved?.format !== 1 || !Array.isArray(saved.steps) || typeof saved.cwd !== 'string' || !Array.isArray(saved.plan?.steps))
      throw new KeyturnError('io', `The plan file of ${id} is not one Keyturn wrote.`);
    return saved;
  }

  async write(saved: SavedPlan): Promise<void> {
    await writeFileAtomic(this.path(saved.plan.id), `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  }

  async list(): Promise<string[]> {
    try {
      return (await readdir(this.dir))
        .filter((f) => f.endsWith('.json'))
        .map((f) => f.slice(0, -5))
        .sort();
    } catch {
      return [];
    }
  }
}
