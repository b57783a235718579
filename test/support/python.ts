// Runs a Python script under /usr/bin/python3 (Debian's python3-cryptography is the Fernet interop oracle) with a
// JSON document on stdin and a JSON document expected on stdout. Keys travel over stdin, never on the command line.
import { spawn, spawnSync } from 'node:child_process';

export const SYSTEM_PYTHON = process.env.KEYTURN_PYTHON ?? '/usr/bin/python3';

/** Prelude every script gets: reads the JSON input into `data` and offers `emit(value)` for the JSON answer. */
const PRELUDE = `import sys, json, base64
data = json.loads(sys.stdin.buffer.read() or b'null')
def emit(value):
    sys.stdout.write(json.dumps(value))
`;

export interface PythonRun {
  /** Python source; `data` holds the parsed stdin document and `emit(x)` writes the answer. */
  script: string;
  input?: unknown;
  /** Extra environment for the child (e.g. a key when a script reads it from os.environ). */
  env?: Record<string, string>;
}

/** Runs the script and returns its parsed answer; rejects with Python's stderr when it exits non-zero. */
export function runPython<T = unknown>({ script, input = null, env = {} }: PythonRun): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(SYSTEM_PYTHON, ['-c', PRELUDE + script], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONHASHSEED: '0', ...env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`python exited ${code}: ${Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as T);
      } catch (error) {
        reject(new Error(`python printed no JSON answer: ${(error as Error).message}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}

/** Why the Python oracle cannot run here (no interpreter, or no `cryptography`), or null when it can. */
export function pythonCryptographyProblem(): string | null {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import cryptography; print(cryptography.__version__)'], { encoding: 'utf8' });
  if (probe.error) return `${SYSTEM_PYTHON} cannot be started (${probe.error.message}); install python3`;
  if (probe.status !== 0) return `${SYSTEM_PYTHON} has no 'cryptography' module; install Debian's python3-cryptography`;
  return null;
}

/** Fails loudly (tests) instead of skipping: CI installs python3-cryptography, so a missing oracle is a setup bug. */
export function requirePythonCryptography(): void {
  const problem = pythonCryptographyProblem();
  if (problem) throw new Error(`Fernet interop tests need Python's cryptography: ${problem}`);
}
