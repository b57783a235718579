// `keyturn push KEY[@vN]... --to TARGET`, `push promote`, `push status`: the plan first (fingerprints, never values),
// a confirmation, then verified writes; staged versions promoted later; drift reported with exit 1 for CI.
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { parseKeyRef } from '../../../shared/domain/key-names.js';
import { writes, type PushPlan } from '../../../shared/push/push-plan.js';
import type { PushRequest, PushResult } from '../../../shared/push/push-types.js';
import { defineCommand, type CliContext } from '../command.js';
import { runJobHere } from '../job-output.js';
import { parseChoice, parseCount, str } from '../options.js';
import { EXIT_FAILED, EXIT_OK, writeJson, type CliIo } from '../output.js';
import { createProgressLine, progressMode } from '../progress-line.js';
import { formatPlan, formatResult, formatStatus } from './push-format.js';

/** Reads one answer line from stdin; anything but y/yes (or stdin closing) is a no. */
function askYes(io: CliIo, question: string): Promise<boolean> {
  io.stderr.write(question);
  return new Promise((resolveAnswer) => {
    const rl = createInterface({ input: process.stdin });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolveAnswer(/^\s*y(es)?\s*$/i.test(line));
    });
    rl.once('close', () => {
      if (!answered) resolveAnswer(false);
    });
  });
}

function requestFrom(args: string[], opts: Record<string, unknown>): PushRequest {
  const secretName = str(opts.secretName);
  const bundle = str(opts.bundle);
  const description = str(opts.description);
  const stage = parseChoice(opts.stage, '--stage', ['current', 'pending'] as const);
  const expiresInDays = parseCount(opts.expiresIn, '--expires-in', 4);
  return {
    keys: args.map(parseKeyRef),
    target: String(opts.to),
    ...(secretName !== undefined ? { secretName } : {}),
    ...(bundle !== undefined ? { bundle } : {}),
    ...(stage !== undefined ? { stage } : {}),
    ...(opts.recover === true ? { recover: true } : {}),
    ...(opts.force === true ? { force: true } : {}),
    ...(expiresInDays !== undefined ? { expiresInDays } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

const confirmedOf = (plan: PushPlan) => ({
  items: plan.items.map((i) => ({
    secret: i.secret,
    action: i.action,
    ...(i.remoteVersion !== undefined ? { remoteVersion: i.remoteVersion } : {}),
  })),
});

export function registerPushCommand(program: Command, cli: CliContext): void {
  const push = program
    .command('push')
    .description('Push keys to AWS Secrets Manager or Azure Key Vault: plan, confirm, write, read back; promote; status.');

  defineCommand(push, cli, {
    name: 'keys <keys...>',
    isDefault: true,
    description: 'Push keys (KEY or KEY@vN) to a target: shows the plan, asks, writes, reads back and records each write.',
    required: [['--to <target>', 'the target (see `keyturn targets list`)']],
    options: [
      ['--secret-name <name>', 'the secret for one key (default: the key name; on Azure the mapped name, PII_ENC_KEY -> pii-enc-key)'],
      ['--bundle <name>', 'put the keys into one secret holding a JSON object keyed by their env-var names'],
      ['--dry-run', 'show the plan and stop'],
      ['--yes', 'push without asking (required with --json)'],
      ['--stage <stage>', 'current (default) or pending: AWSPENDING only, made current later by `push promote`'],
      ['--recover', 'recover a soft-deleted secret of the same name first'],
      ['--force', 'replace a value that was changed at the target since Keyturn pushed (a conflict)'],
      ['--expires-in <days>', 'Azure: notBefore now and expiresOn this many days later'],
      ['--description <text>', 'AWS: the description of a secret Keyturn creates'],
      ['--job', 'run as a resumable job: Ctrl+C pauses it, `keyturn jobs resume ID` continues it'],
      ['--progress', 'print progress lines even when stderr is not a terminal'],
      ['--no-progress', 'no progress line'],
    ],
    json: true,
    examples:
      '  keyturn push PII_ENC_KEY SECRET_KEY --to prod --bundle resumerag/production --dry-run\n' +
      '  keyturn push PII_ENC_KEY --to kv --yes\n' +
      '  keyturn push PII_ENC_KEY@v2 --to prod --stage pending --yes && keyturn push promote PII_ENC_KEY@v2 --to prod',
    async run({ services, io, opts, args }) {
      const request = requestFrom(args, opts);
      const dryRun = opts.dryRun === true;
      if (io.json && !dryRun && opts.yes !== true) {
        throw new KeyturnError('usage', '--json cannot ask for confirmation: add --yes (after a --dry-run) to push.');
      }
      const plan = await services.push.plan(request);
      const target = await services.push.showTarget(request.target);
      const conflicts = plan.items.some((i) => i.action === 'conflict');
      if (dryRun) {
        if (io.json) writeJson(io, { plan });
        else io.stdout.write(formatPlan(plan, target));
        return conflicts ? EXIT_FAILED : EXIT_OK;
      }
      if (!io.json) io.stdout.write(formatPlan(plan, target));
      const toWrite = plan.items.filter(writes).length;
      if (toWrite === 0) {
        if (!io.json)
          io.stdout.write(
            conflicts
              ? 'Nothing pushed: resolve the conflicts above first.\n'
              : 'Nothing to push: the target already holds these versions.\n',
          );
      } else if (opts.yes !== true && !(await askYes(io, `Push ${toWrite} secret${toWrite === 1 ? '' : 's'} to ${plan.target}? [y/N] `))) {
        throw new KeyturnError('refused', 'Not confirmed; nothing was pushed.');
      }
      const line = createProgressLine(io.stderr, progressMode(opts));
      let result: PushResult;
      if (opts.job === true) {
        const job = await runJobHere(io, line, 'pushing', (o) => services.jobs.run('push', { request, confirmed: confirmedOf(plan) }, o));
        if (!job) return EXIT_FAILED;
        result = job.result as PushResult;
      } else {
        result = await services.push.push(request, {
          confirmed: confirmedOf(plan),
          onProgress: (p) => line.update({ done: p.done, total: p.total, unit: 'secrets', phase: 'pushing' }),
        });
        line.end();
      }
      if (io.json) writeJson(io, { plan, result });
      else io.stdout.write(formatResult(result));
      return result.ok ? EXIT_OK : EXIT_FAILED;
    },
  });

  defineCommand(push, cli, {
    name: 'promote <keys...>',
    description: 'Make the staged (AWSPENDING) push of each key current; the old version becomes AWSPREVIOUS.',
    required: [['--to <target>', 'the target the keys were staged at']],
    json: true,
    async run({ services, io, opts, args }) {
      const out = await services.push.promote({ target: String(opts.to), keys: args.map(parseKeyRef) });
      if (io.json) writeJson(io, out);
      else
        io.stdout.write(
          `${out.items.map((i) => `Promoted ${i.key}@v${i.version}: ${i.secret} at ${out.target} now holds version ${i.versionId} as current.`).join('\n')}\n`,
        );
    },
  });

  defineCommand(push, cli, {
    name: 'status',
    description: 'Read every pushed secret and report in-sync, remote-changed, missing or local-newer; exit 1 on any drift.',
    options: [['--to <target>', 'only this target']],
    json: true,
    async run({ services, io, opts }) {
      const target = str(opts.to);
      const report = await services.push.status(target !== undefined ? { target } : {});
      if (io.json) writeJson(io, report);
      else io.stdout.write(formatStatus(report));
      return report.drift ? EXIT_FAILED : EXIT_OK;
    },
  });
}
