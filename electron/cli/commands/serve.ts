// `keyturn serve [--port N]`: runs the desktop UI in a browser through the loopback web host until Ctrl+C.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { compose } from '../../node/compose.js';
import { handlersFromServices } from '../../node/ipc-handlers/from-services.js';
import { findRendererDir } from '../../node/renderer-host/renderer-dir.js';
import { startWebHost } from '../../web-host/server.js';
import type { SetExitCode } from '../program.js';
import { reportError, type CliIo } from '../run-action.js';

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

export function registerServeCommand(program: Command, setExitCode: SetExitCode): void {
  program
    .command('serve')
    .description('Serve the desktop UI on 127.0.0.1 for a browser (for machines without the desktop app); Ctrl+C stops it.')
    .option('--port <n>', 'port on 127.0.0.1 (default: a free port)')
    .action(async (opts: { port?: string }) => {
      const io: CliIo = { stdout: process.stdout, stderr: process.stderr, json: false };
      try {
        const port = opts.port === undefined ? 0 : parsePort(opts.port);
        const rendererDir = findRendererDir(dirname(fileURLToPath(import.meta.url)));
        const handlers = handlersFromServices(compose(), { kind: 'web' });
        const host = await startWebHost({ handlers, rendererDir, port });
        process.stdout.write(`Keyturn is running at ${host.url}\n`);
        process.stderr.write('Open that address in a browser on this machine; press Ctrl+C to stop.\n');
        await untilStopped();
        await host.close();
      } catch (error) {
        setExitCode(reportError(error, io));
      }
    });
}
