// A plan as a Markdown runbook in the style of the migration guides: summary, checklist, numbered steps with commands,
// checks and expected output, rollback, success criteria. Deterministic: the same plan gives the same bytes.
import { describeDuration } from './durations.js';
import { needsPeople } from './hands-only.js';
import type { PlanStep, RotationPlan, StepService } from './types.js';

const SERVICE_WORDS: Record<StepService, string> = {
  vault: 'keychain',
  env: '.env writer',
  backup: 'backup runner',
  push: 'push service (AWS/Azure)',
  reencrypt: 're-encryption service',
  escrow: 'escrow service',
};

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const fence = (text: string, lang = ''): string[] => [`\`\`\`${lang}`, ...text.split('\n'), '```'];

function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function runnerLine(plan: RotationPlan, step: PlanStep): string {
  if (step.runner.mode === 'automatic') return `**Runs**: by Keyturn, after you confirm: \`keyturn rotate run-step ${plan.id} ${step.n}\``;
  if (step.action && needsPeople(step.action))
    return `**Runs**: by hand, with the custodians there to take their shares. Tick it off with \`keyturn rotate done ${plan.id} ${step.n} --note TEXT\``;
  if (step.runner.service)
    return `**Runs**: by hand for now; Keyturn runs it itself (\`keyturn rotate run-step ${plan.id} ${step.n}\`) once it has its ${SERVICE_WORDS[step.runner.service]}. Tick it off with \`keyturn rotate done ${plan.id} ${step.n} --note TEXT\``;
  return `**Runs**: by hand. Tick it off with \`keyturn rotate done ${plan.id} ${step.n} --note TEXT\``;
}

function stepLines(plan: RotationPlan, step: PlanStep): string[] {
  const out = [`### Step ${step.n}: ${step.title}`, '', `- [ ] Done`, '', runnerLine(plan, step)];
  if (step.wait)
    out.push(
      `**Not before**: ${describeDuration(step.wait.ms)} after step ${step.wait.afterStep} is done (${step.wait.reason}); \`keyturn rotate status ${plan.id}\` shows the date`,
    );
  out.push('', step.why, '');
  if (step.effect) out.push(`> **${step.pointOfNoReturn ? 'Point of no return' : 'Users notice'}**: ${step.effect}`, '');
  else if (step.pointOfNoReturn) out.push('> **Point of no return**', '');
  if (step.command) out.push(...fence(step.command, 'bash'), '');
  if (step.notes && step.notes.length > 0) {
    for (const note of step.notes) {
      const [first, ...code] = note.split('\n');
      out.push(`- ${first}`);
      if (code.length > 0) out.push('', ...fence(code.map((l) => l.replace(/^ {4}/, '')).join('\n'), 'python').map((l) => `  ${l}`), '');
    }
    if (out[out.length - 1] !== '') out.push('');
  }
  const { command, expect, prose } = step.check;
  if (command) out.push('**Check**:', ...fence(command, 'bash'), '');
  if (prose) out.push(`**${command ? 'Expected' : 'Check'}**: ${expect}`, '');
  else out.push(command ? '**Expected Output**:' : '**Expected Output** of the command above:', ...fence(expect), '');
  if (step.rollback) {
    out.push(`**Rollback**: ${step.rollback.text}`);
    if (step.rollback.command) out.push(...fence(step.rollback.command, 'bash'));
    out.push('');
  } else {
    out.push('**Rollback**: none. This is the point of no return: check every step before it is done and verified.', '');
  }
  return out;
}

export function renderMarkdown(plan: RotationPlan): string {
  const auto = plan.steps.filter((s) => s.runner.mode === 'automatic').length;
  const ponr = plan.pointsOfNoReturn.map((n) => `Step ${n} (${plan.steps[n - 1]!.title})`).join('; ');
  const out: string[] = [
    `# Key Rotation Runbook: ${plan.keys.map((k) => k.name).join(', ')}`,
    '',
    '## Executive Summary',
    '',
    `**Plan ID**: ${plan.id}  `,
    `**Created**: ${utc(plan.created)}  `,
    `**Keys**: ${plan.keys.map((k) => `${k.name} (${k.kind}${k.alg ? `, ${k.alg}` : ''}, read from ${k.envVar}) v${k.from} -> v${k.to}`).join('; ')}  `,
    `**Risk Level**: ${cap(plan.risk)}  `,
    `**Downtime**: ${cap(plan.downtime)}  `,
    `**Point of No Return**: ${ponr}  `,
    `**Steps**: ${plan.steps.length} (${auto} run by Keyturn, ${plan.steps.length - auto} by hand)`,
    '',
    '### What Users Notice',
    '',
    ...plan.keys.flatMap((k) => k.effects.map((e) => `- ${k.name}: ${e}`)),
    '',
    '### Overlap Window',
    '',
    'How long the old version stays usable after the new one takes over:',
    '',
  ];
  for (const k of plan.keys) {
    out.push(`- **${k.name}: ${describeDuration(k.overlap.ms)}**`);
    for (const line of k.overlap.basis) out.push(`  - ${line}`);
  }
  out.push('');
  if (plan.warnings.length > 0) {
    out.push('### Warnings', '', ...plan.warnings.map((w) => `- ${w}`), '');
  }
  out.push(
    '## Pre-Rotation Checklist',
    '',
    ...plan.before.map((b) => `- [ ] ${b}`),
    '',
    '## Rotation Steps',
    '',
    `Run the steps in order. \`keyturn rotate status ${plan.id}\` shows where you are; each step leaves a line in the audit log. No command below prints a key: keys are named as NAME@vN and Keyturn moves the values.`,
    '',
  );
  let phase = '';
  const PHASES: Record<PlanStep['phase'], string> = {
    prepare: 'Prepare: backups and the new version',
    publish: 'Publish: the application accepts both versions',
    switch: 'Switch: the new version takes over',
    retire: 'Retire: after the overlap window',
  };
  for (const step of plan.steps) {
    if (step.phase !== phase) {
      phase = step.phase;
      out.push(`## ${PHASES[step.phase]}`, '');
    }
    out.push(...stepLines(plan, step), '---', '');
  }
  const first = plan.pointsOfNoReturn[0];
  out.push(
    '## Rollback Procedure',
    '',
    '### When to Roll Back',
    '',
    '- A check does not print its expected output',
    '- The application fails its health check, or its logs show key errors (InvalidToken, signature verification failed)',
    '- Users report lost access beyond what "What Users Notice" says',
    '',
    '### How',
    '',
    `1. Stop: do not start the next step.`,
    `2. Undo the steps already done, newest first, each with its **Rollback** above.`,
    `3. Restart the application and run the check of the last step left in place.`,
    `4. Record what happened: \`keyturn rotate done ${plan.id} N --note TEXT\` on the failed step.`,
    '',
    first ? `Every step before step ${first} can be undone. Steps marked **Point of no return** cannot.` : 'Every step can be undone.',
    '',
    '## Success Criteria',
    '',
    ...plan.success.map((s) => `- [ ] ${s}`),
    '',
  );
  return out.join('\n');
}

export function renderJson(plan: RotationPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
