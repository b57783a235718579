// `keyturn jobs list|status|pause|resume|cancel`: long work that outlives the window, tab or process that started it.
import type { Command } from 'commander';
import { defineCommand, type CliContext } from '../command.js';
import { describeJob, exitCodeOf, nextStep, renderResult } from '../job-output.js';
import { parseCount } from '../options.js';
import { writeJson } from '../output.js';
import { createProgressLine, progressMode } from '../progress-line.js';
import { untilInterrupted } from '../interrupt.js';

const ID = [['<id>', 'the job id (see `keyturn jobs list`)']] as [string, string][];

export function registerJobsCommand(program: Command, cli: CliContext): void {
  const jobs = program
    .command('jobs')
    .description('Follow, pause, resume and cancel long work (checks of large trees, re-encryption, bulk push).');

  defineCommand(jobs, cli, {
    name: 'list',
    description: 'List the jobs under KEYTURN_HOME, newest first.',
    options: [['--limit <n>', 'how many (default 50)']],
    json: true,
    async run({ services, io, opts }) {
      const list = await services.jobs.list(parseCount(opts.limit, '--limit', 4) ?? 50);
      if (io.json) writeJson(io, { jobs: list });
      else io.stdout.write(list.length === 0 ? 'No jobs yet.\n' : `${list.map(describeJob).join('\n')}\n`);
    },
  });

  defineCommand(jobs, cli, {
    name: 'status',
    description: "Show a job's state and progress, and its result once it is done.",
    arguments: ID,
    json: true,
    async run({ services, io, args }) {
      const { job, events } = await services.jobs.status(args[0]!);
      if (io.json) {
        writeJson(io, { job, events });
        return;
      }
      io.stdout.write(`${describeJob(job)}\n`);
      for (const e of events.slice(-5)) io.stdout.write(`  ${e.ts}  ${e.type}${e.message ? `  ${e.message}` : ''}\n`);
      const step = nextStep(job);
      if (step) io.stdout.write(`${step}\n`);
    },
  });

  for (const [name, verb, description] of [
    ['pause', 'pause', 'Ask a running job to pause at its next checkpoint (whichever process runs it); resume continues from there.'],
    ['cancel', 'cancel', 'Stop a job for good at its next checkpoint; what it committed stays committed.'],
  ] as const) {
    defineCommand(jobs, cli, {
      name,
      description,
      arguments: ID,
      json: true,
      async run({ services, io, args }) {
        const job = await (verb === 'pause' ? services.jobs.pause(args[0]!) : services.jobs.cancel(args[0]!));
        if (io.json) writeJson(io, { job });
        else io.stdout.write(`${describeJob(job)}\n`);
      },
    });
  }

  defineCommand(jobs, cli, {
    name: 'resume',
    description: 'Continue a paused or interrupted job here, from its last checkpoint, with a live progress line; Ctrl+C pauses it again.',
    arguments: ID,
    options: [
      ['--progress', 'print progress lines even when stderr is not a terminal'],
      ['--no-progress', 'no progress line'],
    ],
    json: true,
    keychain: true,
    async run({ services, io, opts, args }) {
      const line = createProgressLine(io.stderr, progressMode(opts));
      const interrupt = untilInterrupted();
      try {
        const job = await services.jobs.resume(args[0]!, { onProgress: (j) => line.update(j.progress), signal: interrupt.signal });
        line.end();
        if (io.json) writeJson(io, { job });
        else {
          const text = renderResult(job, false);
          io.stdout.write(text ?? `${describeJob(job)}\n`);
          const step = nextStep(job);
          if (step) io.stderr.write(`${step}\n`);
        }
        return exitCodeOf(job);
      } finally {
        interrupt.dispose();
      }
    },
  });
}
