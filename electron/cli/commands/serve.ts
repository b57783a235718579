// `keyturn serve [--port N]`: runs the desktop UI in a browser through the loopback web host until Ctrl+C.
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { rootPathGuard } from '../../node/files/path-guard.js';
import { createHandlers } from '../../node/ipc-handlers/handlers.js';
import { findRendererDir } from '../../node/renderer-host/renderer-dir.js';
import { startWebHost } from '../../web-host/server.js';
import { defineCommand, type CliContext } from '../command.js';

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || port < 1 || port > 65535) {
    throw new KeyturnError('usage', `--port takes a number from 1 to 65535 (got "${text.slice(0, 20)}"); leave it out for a free port.`);
  }
  return port;
}

function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => resolve(signal);
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export function registerServeCommand(program: Command, cli: CliContext): void {
  defineCommand(program, cli, {
    name: 'serve',
    description: 'Serve the desktop UI on 127.0.0.1 for a browser (for machines without the desktop app); Ctrl+C stops it.',
    options: [
      ['--port <n>', 'port on 127.0.0.1 (default: a free port)'],
      ['--root <dir>', 'the only folder whose files the page may read or write (default: the folder keyturn serve starts in)'],
    ],
    async run({ services, io, opts }) {
      const port = typeof opts.port === 'string' ? parsePort(opts.port) : 0;
      const rendererDir = findRendererDir(dirname(fileURLToPath(import.meta.url)));
      const root = resolve(typeof opts.root === 'string' ? opts.root : process.cwd());
      const info = await stat(root).catch(() => null);
      if (!info?.isDirectory()) throw new KeyturnError('usage', `--root must name an existing folder (${root} is not one).`);
      const handlers = createHandlers({ services, host: { kind: 'web', paths: rootPathGuard(root) } });
      const host = await startWebHost({ handlers, rendererDir, port });
      io.stdout.write(`Keyturn is running at ${host.url}\n`);
      io.stderr.write(`Open that address in a browser on this machine; the page may use files under ${root} only. Press Ctrl+C to stop.\n`);
      await untilStopped();
      await host.close();
      // Jobs started from the page pause at their next checkpoint; `keyturn jobs resume ID` continues them.
      await services.jobs.pauseAll();
    },
  });
}
