// Builds the commander program: one register function per command group, each in its own file.
import { APP_VERSION } from '../../shared/domain/app-version.js';
import { Command } from 'commander';
import { registerAuditCommand } from './commands/audit.js';
import { registerEnvCommand } from './commands/env.js';
import { registerFernetCommand } from './commands/fernet.js';
import { registerGenerateCommand } from './commands/generate.js';
import { registerKeysCommand } from './commands/keys.js';
import { registerServeCommand } from './commands/serve.js';
import { TIMEOUT_HELP } from './commands/timeout-option.js';

export type SetExitCode = (code: number) => void;

export function createProgram(setExitCode: SetExitCode): Command {
  const program = new Command('keyturn')
    .description('Generate, store, check and rotate application secrets.')
    .version(APP_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions()
    .option('--timeout <seconds>', TIMEOUT_HELP);
  registerGenerateCommand(program, setExitCode);
  registerFernetCommand(program, setExitCode);
  registerServeCommand(program, setExitCode);
  registerKeysCommand(program, setExitCode);
  registerAuditCommand(program, setExitCode);
  registerEnvCommand(program, setExitCode);
  return program;
}
