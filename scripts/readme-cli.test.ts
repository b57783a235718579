// The README's CLI examples run as written, by a user who installed Keyturn as the README says (`npm run build`, then
// `npm install -g .`, which runs the built bin/keyturn.js), from a subfolder of their project (ResumeRAG's infra/),
// against a real gnome-keyring. Each line must exit 0, or 1 where its comment starts with "exit 1".
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { envValues, parseEnv } from '../shared/formats/env-file.js';
import { requirePythonCryptography, runPython } from '../test/support/python.js';
import { secretToolLookup } from '../test/support/run-cli.js';
import { startSecretService, type SecretServiceSession } from '../test/support/secret-service.js';
import { runProcess, type ShellRun } from '../test/support/keyturn-shim.js';
// @ts-expect-error -- plain ESM build config without type declarations
import { cliBundle } from './node-bundles.mjs';

const REPO = resolve(import.meta.dirname, '..');

/** The block under "## CLI examples for the migration chores": one command per line, comments and blanks dropped. */
function readmeCommands(readme: string): { line: string; exit: number }[] {
  const section = readme.slice(readme.indexOf('## CLI examples for the migration chores'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the README has no CLI examples block');
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => ({ line, exit: /#\s*exit 1\b/.test(line) ? 1 : 0 }));
}

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<ShellRun> {
  return runProcess('/bin/bash', ['-c', command], { cwd, env });
}

let s: SecretServiceSession;
before(async () => {
  requirePythonCryptography();
  s = await startSecretService({ unlocked: true });
});
after(async () => {
  await s?.stop();
});

test(
  "the README's CLI examples run as written, installed with npm install -g ., from a subfolder of a project",
  { timeout: 600_000 },
  async () => {
    // A checkout as npm sees it: package.json, bin/, scripts/ (the postinstall), the built CLI, and its node_modules.
    const checkout = join(s.dir, 'keyturn');
    mkdirSync(join(checkout, 'dist', 'cli'), { recursive: true });
    for (const part of ['package.json', 'bin', 'scripts']) cpSync(join(REPO, part), join(checkout, part), { recursive: true });
    symlinkSync(join(REPO, 'node_modules'), join(checkout, 'node_modules'));
    await build({ ...cliBundle, absWorkingDir: REPO, outfile: join(checkout, 'dist', 'cli', 'main.js') });
    const prefix = join(s.dir, 'global');
    const env = { ...s.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', npm_config_prefix: prefix, npm_config_update_notifier: 'false' };
    const install = await sh('npm install -g . --no-audit --no-fund', checkout, env);
    assert.equal(install.code, 0, install.stderr);
    const userEnv = { ...s.env, PATH: `${join(prefix, 'bin')}${delimiter}${process.env.PATH ?? '/usr/bin:/bin'}` };
    const which = await sh('command -v keyturn && readlink -f "$(command -v keyturn)"', s.dir, userEnv);
    assert.equal(which.stdout.trim().split('\n')[1], join(checkout, 'bin', 'keyturn.js'), 'keyturn is the checkout’s bin/keyturn.js');

    // ResumeRAG after Phase 1: the user works in infra/, where the .env file is.
    const infra = join(s.dir, 'ResumeRAG', 'infra');
    mkdirSync(infra, { recursive: true });
    writeFileSync(
      join(infra, '.env'),
      '# ResumeRAG Phase 1\nDATABASE_URL=postgresql+asyncpg://resumerag:T9She0mrezLsk4YsNg9hes8@db:5432/resumerag\nSECRET_KEY=change-me\n',
      { mode: 0o644 },
    );
    writeFileSync(
      join(infra, '.env.example'),
      'DATABASE_URL=\nSECRET_KEY=\nPII_ENC_KEY=\nREFRESH_TOKEN_EXPIRE_DAYS=\nMAX_FAILED_ATTEMPTS=\nLOCKOUT_DURATION_MINUTES=\nMAX_FILE_SIZE=\n',
    );

    const outputs: string[] = [];
    for (const { line, exit } of readmeCommands(readFileSync(join(REPO, 'README.md'), 'utf8'))) {
      if (line.startsWith('keyturn keys rotate pii-enc-key')) {
        // The user's export, made under the key's first version: one token per line (a NULL row blank), and a CSV.
        const tokens = await sh(
          'for v in alice@example.com "" bob@example.com; do if [ -z "$v" ]; then echo; else printf %s "$v" | keyturn fernet encrypt --key pii-enc-key; fi; done > tokens.txt',
          infra,
          userEnv,
        );
        assert.equal(tokens.code, 0, tokens.stderr);
        const t = readFileSync(join(infra, 'tokens.txt'), 'utf8').split('\n');
        writeFileSync(join(infra, 'users.csv'), `id,email_enc,name\r\n1,${t[0]},"Smith, Alice"\r\n2,,Bob\r\n3,${t[2]},Carol\r\n`);
      }
      const r = await sh(line, infra, userEnv);
      assert.equal(r.code, exit, `\`${line}\` exited ${r.code}: ${r.stderr}`);
      outputs.push(r.stdout, r.stderr);
      if (line.startsWith('keyturn env check .env --profile resumerag-phase2') && !line.includes('--example'))
        assert.match(r.stdout, /PII_ENC_KEY holds pii-enc-key v1, which is retiring/);
    }

    // What the examples did: the .env file holds v2, the tokens and the CSV rows are under v2 and in their places.
    const [v1, v2] = await Promise.all(
      ['pii-enc-key@v1', 'pii-enc-key@v2'].map(async (a) => (await secretToolLookup(s.env, 'keyturn', a)).value),
    );
    assert.equal(envValues(parseEnv(readFileSync(join(infra, '.env'), 'utf8'))).get('PII_ENC_KEY'), v2);
    const back = await runPython<{ lines: string[]; rows: string[][] }>({
      script: `
import csv, io
from cryptography.fernet import Fernet
f = Fernet(data['v2'])
lines = [f.decrypt(l.encode()).decode() if l else '' for l in data['rotated'].split('\\n')[:-1]]
rows = [[r[0], f.decrypt(r[1].encode()).decode() if r[1] else '', r[2]] for r in list(csv.reader(io.StringIO(data['csv'], newline='')))[1:]]
emit({'lines': lines, 'rows': rows})
`,
      input: { v2, rotated: readFileSync(join(infra, 'rotated.txt'), 'utf8'), csv: readFileSync(join(infra, 'users-rotated.csv'), 'utf8') },
    });
    assert.deepEqual(back.lines, ['alice@example.com', '', 'bob@example.com']);
    assert.deepEqual(back.rows, [
      ['1', 'alice@example.com', 'Smith, Alice'],
      ['2', '', 'Bob'],
      ['3', 'bob@example.com', 'Carol'],
    ]);
    assert.equal((JSON.parse(readFileSync(join(infra, 'jwks.json'), 'utf8')) as { keys: unknown[] }).keys.length, 1);
    assert.equal((JSON.parse(readFileSync(join(infra, 'env.sarif'), 'utf8')) as { version: string }).version, '2.1.0');
    // Only `keys show --reveal` prints a stored value, and it prints v1 (the value then); no other output holds one.
    const printed = outputs.join('\n');
    assert.equal(printed.split(v1!).length - 1, 1);
    assert.ok(!printed.includes(v2!));
  },
);
