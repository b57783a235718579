// Builds the commander program: one register function per command group, each in its own file.
import { Command } from 'commander';
import { APP_VERSION } from '../../shared/domain/app-version.js';
import { timeoutOption, type CliContext } from './command.js';
import { registerAuditCommand } from './commands/audit.js';
import { registerEnvCommand } from './commands/env.js';
import { registerEscrowCommand } from './commands/escrow.js';
import { registerFernetCommand } from './commands/fernet.js';
import { registerGenerateCommand } from './commands/generate.js';
import { registerJobsCommand } from './commands/jobs.js';
import { registerKeysCommand } from './commands/keys.js';
import { registerReencryptCommand } from './commands/reencrypt.js';
import { registerPushCommand } from './commands/push.js';
import { registerRotateCommand } from './commands/rotate.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTargetsCommand } from './commands/targets.js';

export function createProgram(cli: CliContext): Command {
  const program = new Command('keyturn')
    .description('Generate, store, check and rotate application secrets.')
    .version(APP_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions()
    .addOption(timeoutOption());
  for (const register of [
    registerGenerateCommand,
    registerFernetCommand,
    registerServeCommand,
    registerKeysCommand,
    registerAuditCommand,
    registerEnvCommand,
    registerJobsCommand,
    registerReencryptCommand,
    registerTargetsCommand,
    registerPushCommand,
    registerEscrowCommand,
    registerRotateCommand,
  ]) {
    register(program, cli);
  }
  return program;
}
