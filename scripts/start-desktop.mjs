// `npm start`: opens the desktop app when an Electron binary exists; otherwise says so in one sentence and names the
// browser route. It exits 0 then: on such machines the browser UI is the expected way in, not a failure to report.
import { spawn } from 'node:child_process';
import { findElectronBinary } from './find-electron.mjs';

const electron = findElectronBinary();
if (!electron.ok) {
  console.log(
    `No Electron binary is installed on this machine because ${electron.reason}; run \`npm run serve\` (keyturn serve) to use the same app in a browser, and \`npm run keyturn -- --help\` for the CLI.`,
  );
  process.exit(0);
}

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(electron.path, ['.', ...process.argv.slice(2)], { stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
