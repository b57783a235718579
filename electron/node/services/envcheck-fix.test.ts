// `fix` on real files with the real key generator: byte-preserving edits, atomic replacement, .bak, and Python reading the result.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFile, chmod, link, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { SYSTEM_PYTHON } from '../../../test/support/python.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import type { GeneratedKey } from '../../../shared/domain/generated-key.js';
import { checkFernetKey } from '../../../shared/formats/fernet-format.js';
import { envValues, parseEnv } from '../../../shared/formats/env-file.js';
import { generateKey } from '../crypto/generate-key.js';
import { compose } from '../compose.js';
import { MemoryKeychain } from '../keychain/memory-keychain.js';
import { createEnvCheckService, type EnvCheckDeps } from './envcheck-service.js';
import { createGenerateService } from './generate-service.js';
import type { VaultService } from './vault-service.js';

let root: string;
let n = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'keyturn-envfix-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

async function fresh(text: string | Buffer, mode = 0o640): Promise<{ dir: string; file: string }> {
  n += 1;
  const dir = join(root, `case${n}`);
  await mkdir(dir);
  const file = join(dir, '.env');
  await writeFile(file, text);
  await chmod(file, mode);
  return { dir, file };
}

const generator = createGenerateService();
/** A real vault on an in-memory keychain, in its own KEYTURN_HOME. */
const vaultIn = (dir: string): VaultService =>
  compose({ config: { home: join(dir, 'keyturn-home') }, keychain: new MemoryKeychain() }).vault;
const service = (dir: string, extra: Partial<EnvCheckDeps> = {}) =>
  createEnvCheckService({ generate: generator, vault: vaultIn(dir), cwd: () => dir, ...extra });
const generating = (make: EnvCheckDeps['generate']['generate']): EnvCheckDeps['generate'] => ({ ...generator, generate: make });
const lines = (text: string): string[] => text.match(/[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$/g) ?? [];

const ORIGINAL = [
  '# ResumeRAG settings\r\n',
  'DATABASE_URL=postgresql+asyncpg://resumerag:T9She0mrezLsk4YsNg9hes8-@db.internal:5432/resumerag\r\n',
  'SECRET_KEY=""   # fill me\r\n',
  '\r\n',
  'export REDIS_URL="redis://cache.internal:6379/0"  # cache\r\n',
  "NOTE='keep  this # exactly'\r\n",
  'PII_ENC_KEY\r\n',
  'MAX_FILE_SIZE=52428800  # 50 MB',
].join('');

test('fix fills only the empty and missing variables, keeps every other byte, CRLF, mode and a .bak of the original', async () => {
  const { dir, file } = await fresh(ORIGINAL);
  const before = await stat(file);
  await link(file, join(dir, 'hardlink-to-original'));
  const result = await service(dir).fix({ file: '.env', profile: 'resumerag-phase2' });

  assert.deepEqual(
    [...result.added, ...result.regenerated].map((c) => [c.variable, c.kind, c.how, c.line]),
    [
      ['SECRET_KEY', 'jwt-hmac', 'filled', 3],
      ['PII_ENC_KEY', 'fernet', 'filled', 7],
    ],
  );
  assert.equal(result.backup, '.env.bak');
  const after = await readFile(file, 'utf8');
  const [a, b] = [lines(ORIGINAL), lines(after)];
  assert.equal(b.length, a.length, 'nothing appended: every required variable had a line');
  for (let i = 0; i < a.length; i += 1) {
    if (i === 2 || i === 6) continue;
    assert.equal(b[i], a[i], `line ${i + 1} changed`);
  }
  assert.match(b[2]!, /^SECRET_KEY="[A-Za-z0-9_-]{43}" {3}# fill me\r\n$/);
  assert.match(b[6]!, /^PII_ENC_KEY=[A-Za-z0-9_-]{43}=\r\n$/);
  assert.equal((await readFile(join(dir, '.env.bak'))).toString('utf8'), ORIGINAL);
  assert.equal((await stat(join(dir, '.env.bak'))).mode & 0o777, 0o600, '.bak is private: it holds the same secrets');

  // Atomic replacement: a new inode took the name; the old one (still linked) holds the untouched original.
  const now = await stat(file);
  assert.notEqual(now.ino, before.ino);
  assert.equal(now.mode & 0o777, 0o640);
  assert.equal(await readFile(join(dir, 'hardlink-to-original'), 'utf8'), ORIGINAL);
  assert.deepEqual((await readdir(dir)).sort(), ['.env', '.env.bak', 'hardlink-to-original'], 'no temp file is left behind');
});

test('Python reads the fixed file with python-dotenv and accepts the new PII_ENC_KEY with Fernet()', async () => {
  const { dir, file } = await fresh('DATABASE_URL=postgresql+asyncpg://app:Xk29fj3kdmQpLs0@db/app\n', 0o600);
  const result = await service(dir).fix({ file: '.env', profile: 'resumerag-phase2', withDefaults: true });
  assert.deepEqual(result.added.map((c) => c.variable).sort(), [
    'LOCKOUT_DURATION_MINUTES',
    'MAX_FAILED_ATTEMPTS',
    'MAX_FILE_SIZE',
    'PII_ENC_KEY',
    'REFRESH_TOKEN_EXPIRE_DAYS',
    'SECRET_KEY',
  ]);
  const script = [
    'import sys',
    'from dotenv import dotenv_values',
    'from cryptography.fernet import Fernet',
    'v = dotenv_values(sys.argv[1])',
    'f = Fernet(v["PII_ENC_KEY"])',
    'assert f.decrypt(f.encrypt(b"pii")) == b"pii"',
    'assert len(v["SECRET_KEY"].encode()) >= 32',
    'print(v["MAX_FILE_SIZE"], v["REFRESH_TOKEN_EXPIRE_DAYS"])',
  ].join('\n');
  assert.equal(execFileSync(SYSTEM_PYTHON, ['-c', script, file]).toString().trim(), '52428800 7');
  const report = await service(dir).check({ paths: ['.env'], profile: 'resumerag-phase2' });
  assert.deepEqual(
    report.files[0]!.findings.map((f) => f.code),
    [],
    'the fixed file passes its profile',
  );
});

test('existing values are never changed without --regenerate; placeholders are left and reported', async () => {
  const text =
    'SECRET_KEY=<your-existing-or-new-secret>\nPII_ENC_KEY=AjCqT7pZxGJDKnYnvLZpHCGvLYvqKFnHPzGrLxZLhR4=\nDATABASE_URL=postgresql+asyncpg://app:Xk29fj3kdmQpLs0@db/app\n';
  const { dir, file } = await fresh(text);
  const result = await service(dir).fix({ file: '.env', profile: 'resumerag-phase2' });
  assert.equal(result.changed, false);
  assert.equal(result.backup, null);
  assert.equal(await readFile(file, 'utf8'), text);
  assert.deepEqual((await readdir(dir)).sort(), ['.env']);
  assert.deepEqual(result.unfilled.map((u) => u.variable).sort(), ['PII_ENC_KEY', 'SECRET_KEY']);
  for (const u of result.unfilled) assert.match(u.reason, /--regenerate/);
});

test('--regenerate replaces exactly that value, keeping its quotes and the rest of the file', async () => {
  const text = 'A=1\nexport PII_ENC_KEY="AjCqT7pZxGJDKnYnvLZpHCGvLYvqKFnHPzGrLxZLhR4=" # rotate me\nB=2\n';
  const { dir, file } = await fresh(text);
  const result = await service(dir).fix({ file: '.env', profile: 'resumerag-phase2', regenerate: ['PII_ENC_KEY'] });
  assert.deepEqual(
    result.regenerated.map((c) => [c.variable, c.kind, c.line]),
    [['PII_ENC_KEY', 'fernet', 2]],
  );
  const after = lines(await readFile(file, 'utf8'));
  assert.equal(after[0], 'A=1\n');
  assert.equal(after[2], 'B=2\n');
  assert.match(after[1]!, /^export PII_ENC_KEY="[A-Za-z0-9_-]{43}=" # rotate me\n$/);
  const value = envValues(parseEnv(after.join(''))).get('PII_ENC_KEY')!;
  assert.notEqual(value, 'AjCqT7pZxGJDKnYnvLZpHCGvLYvqKFnHPzGrLxZLhR4=');
  assert.equal(checkFernetKey(value).ok, true);
  // Appended after the file's last line: required variables the profile still misses.
  assert.deepEqual(
    result.added.map((c) => c.variable),
    ['SECRET_KEY'],
  );
  await assert.rejects(
    service(dir).fix({ file: '.env', profile: 'resumerag-phase2', regenerate: ['MAX_FILE_SIZE'] }),
    (e: unknown) => e instanceof KeyturnError && e.code === 'invalid-input',
  );
});

test('--dry-run generates and writes nothing; a missing file is created private', async () => {
  const { dir, file } = await fresh('A=1\n');
  const dry = await service(dir, { generate: generating(() => Promise.reject(new Error('must not generate'))) }).fix({
    file: '.env',
    profile: 'namaskah-security-2.4',
    dryRun: true,
  });
  assert.equal(dry.dryRun, true);
  // Line 2 is the "Added by keyturn" comment; each variable follows its description line.
  assert.deepEqual(
    dry.added.map((c) => [c.variable, c.line]),
    [
      ['SECRET_KEY', 4],
      ['JWT_SECRET_KEY', 6],
    ],
  );
  assert.equal(await readFile(file, 'utf8'), 'A=1\n');
  assert.deepEqual(await readdir(dir), ['.env']);

  const created = await service(dir).fix({ file: 'created.env', profile: 'muestras-fastapi-users' });
  assert.equal(created.created, true);
  assert.equal(created.backup, null);
  assert.equal((await stat(join(dir, 'created.env'))).mode & 0o777, 0o600);
  assert.deepEqual(
    created.unfilled.map((u) => u.variable),
    ['DATABASE_URL'],
  );
  await assert.rejects(
    service(dir).fix({ file: 'no/such/dir/.env', profile: 'muestras-fastapi-users' }),
    (e: unknown) => e instanceof KeyturnError && e.code === 'unreadable-input',
  );
});

test('a file changed while fix prepares its edit is left alone (changed-outside)', async () => {
  const { dir, file } = await fresh('A=1\n');
  const racing = async (options: Parameters<typeof generateKey>[0]): Promise<GeneratedKey> => {
    await appendFile(file, 'EDITED=by someone else\n');
    return generateKey(options);
  };
  await assert.rejects(
    service(dir, { generate: generating(racing) }).fix({ file: '.env', profile: 'muestras-fastapi-users' }),
    (e: unknown) => e instanceof KeyturnError && e.code === 'changed-outside',
  );
  assert.equal(await readFile(file, 'utf8'), 'A=1\nEDITED=by someone else\n');
  assert.deepEqual(await readdir(dir), ['.env']);
});

test('files python-dotenv cannot read are refused before any edit', async () => {
  const { dir } = await fresh('A="open\n');
  await assert.rejects(
    service(dir).fix({ file: '.env', profile: 'muestras-fastapi-users' }),
    (e: unknown) => e instanceof KeyturnError && e.code === 'invalid-input' && /line 1/.test(e.message),
  );
});

test('--store-prefix stores exactly the values written to the file, under kebab-case names', async () => {
  const { dir, file } = await fresh('');
  const vault = vaultIn(dir);
  const result = await service(dir, { vault }).fix({ file: '.env', profile: 'namaskah-security-2.4', storePrefix: 'namaskah-' });
  assert.deepEqual(result.stored, [
    { variable: 'SECRET_KEY', name: 'namaskah-secret-key' },
    { variable: 'JWT_SECRET_KEY', name: 'namaskah-jwt-secret-key' },
  ]);
  const values = envValues(parseEnv(await readFile(file, 'utf8')));
  for (const s of result.stored) {
    assert.equal((await vault.reveal({ name: s.name }, { reason: 'reveal' })).value, values.get(s.variable));
    assert.equal((await vault.show(s.name)).envVar, s.variable);
  }
  assert.notEqual(values.get('SECRET_KEY'), values.get('JWT_SECRET_KEY'));
  await assert.rejects(
    service(dir, { vault }).fix({ file: 'other.env', profile: 'namaskah-security-2.4', storePrefix: 'bad prefix ' }),
    (e: unknown) => e instanceof KeyturnError && e.code === 'invalid-name',
  );
});
