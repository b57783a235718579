// `keyturn fernet` as a real child process: binary-safe stdin/stdout, Python interop, rotation, exit codes, and
// keys passed only through the environment and never echoed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { requirePythonCryptography, runPython } from '../../../test/support/python.js';
import { runCliBytes, type CliBytesRun } from '../../../test/support/run-cli.js';
import { Fernet, INVALID_TOKEN_MESSAGE, generateFernetKey } from '../../node/crypto/fernet.js';

before(() => requirePythonCryptography());

function assertOneLineError(r: CliBytesRun, code: number, pattern: RegExp, secrets: string[] = []): void {
  assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `one line on stderr, got: ${r.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.equal(r.stdout.length, 0, 'nothing on stdout');
  for (const secret of secrets) assert.ok(!r.stderr.includes(secret) && !r.stderr.includes(secret.slice(0, 12)), 'the key is never echoed');
}

test('encrypt then decrypt round-trips arbitrary bytes exactly; the token is one line for Python', async () => {
  const key = generateFernetKey();
  const data = Buffer.concat([Buffer.from('\0\n\r\n\xff'), randomBytes(20_000), Buffer.from('\n')]);
  const enc = await runCliBytes(['fernet', 'encrypt', '--key-env', 'PII_ENC_KEY'], { env: { PII_ENC_KEY: key }, input: data });
  assert.equal(enc.code, 0, enc.stderr);
  const text = enc.stdout.toString('latin1');
  assert.match(text, /^[A-Za-z0-9_-]+={0,2}\n$/, 'token and a newline');
  const dec = await runCliBytes(['fernet', 'decrypt', '--key-env', 'PII_ENC_KEY', '--ttl', '3600'], {
    env: { PII_ENC_KEY: key },
    input: enc.stdout,
  });
  assert.equal(dec.code, 0, dec.stderr);
  assert.ok(dec.stdout.equals(data), 'exact bytes, trailing newline included');
  const python = await runPython<string>({
    script: `
from cryptography.fernet import Fernet
emit(base64.b64encode(Fernet(data['key']).decrypt(data['token'].strip())).decode())
`,
    input: { key, token: text },
  });
  assert.ok(Buffer.from(python, 'base64').equals(data), 'Python decrypts the CLI token');
});

test('decrypt reads a Python token; rotate re-encrypts line by line, keeping timestamps; key lists work', async () => {
  const [oldKey, newKey] = [generateFernetKey(), generateFernetKey()];
  const made = await runPython<{ tokens: string[]; pts: string[] }>({
    script: `
import os
from cryptography.fernet import Fernet
f = Fernet(data['key'])
pts = [os.urandom(n) for n in (0, 33, 1000)]
emit({'tokens': [f.encrypt_at_time(p, 1_300_000_000 + i).decode() for i, p in enumerate(pts)], 'pts': [base64.b64encode(p).decode() for p in pts]})
`,
    input: { key: oldKey },
  });
  const env = { NEW_KEY: newKey, OLD_KEY: oldKey, BOTH: `${newKey}, ${oldKey}` };
  const [decrypted, rotated, viaList] = await Promise.all([
    runCliBytes(['fernet', 'decrypt', '--key-env', 'OLD_KEY'], { env, input: `${made.tokens[1]}\n` }),
    runCliBytes(['fernet', 'rotate', '--key-env', 'NEW_KEY', '--old-key-env', 'OLD_KEY'], { env, input: `${made.tokens.join('\n')}\n` }),
    runCliBytes(['fernet', 'decrypt', '--key-env', 'BOTH'], { env, input: made.tokens[2] }),
  ]);
  assert.equal(decrypted.code, 0, decrypted.stderr);
  assert.ok(decrypted.stdout.equals(Buffer.from(made.pts[1]!, 'base64')));
  assert.equal(viaList.code, 0, viaList.stderr);
  assert.ok(viaList.stdout.equals(Buffer.from(made.pts[2]!, 'base64')), 'any key of a "new,old" list decrypts');
  assert.equal(rotated.code, 0, rotated.stderr);
  const lines = rotated.stdout.toString('utf8').split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, 3);
  const newF = new Fernet(newKey);
  for (const [i, token] of lines.entries()) {
    assert.ok(newF.decrypt(token).equals(Buffer.from(made.pts[i]!, 'base64')));
    assert.equal(newF.extractTimestamp(token), 1_300_000_000 + i);
    assert.throws(() => new Fernet(oldKey).decrypt(token));
  }
});

test('bad keys and usage exit 2, bad tokens exit 1, each with one line that never shows the key', async () => {
  const key = generateFernetKey();
  const stale = new Fernet(key).encrypt(Buffer.from('old'), { now: 1000 });
  const badKey = key.slice(0, -1); // unpadded: Python refuses it too
  const cases: [string[], Record<string, string>, string, number, RegExp][] = [
    [['fernet', 'encrypt'], {}, 'x', 2, /Give the key with .*--key-env VAR.*\[usage\]$/],
    [['fernet', 'encrypt', '--key-env', 'MISSING'], {}, 'x', 2, /MISSING is not set or is empty/],
    [
      ['fernet', 'encrypt', '--key-env', 'K'],
      { K: badKey },
      'x',
      2,
      /The key in K is not usable: .*must be 32 url-safe base64-encoded bytes.*\[invalid-key\]$/,
    ],
    [['fernet', 'decrypt', '--key-env', 'K'], { K: `${key},${badKey}` }, stale, 2, /key 2 of 2/],
    [['fernet', 'encrypt', '--key-env', key], {}, 'x', 2, /takes the NAME of an environment variable/],
    [
      ['fernet', 'decrypt', '--key-env', 'K', '--ttl', '60'],
      { K: key },
      stale,
      1,
      new RegExp(`${escape(INVALID_TOKEN_MESSAGE)} \\[invalid-token\\]$`),
    ],
    [['fernet', 'decrypt', '--key-env', 'K'], { K: generateFernetKey() }, stale, 1, /\[invalid-token\]$/],
    [['fernet', 'decrypt', '--key-env', 'K'], { K: key }, 'not-a-token', 1, /\[invalid-token\]$/],
    [['fernet', 'decrypt', '--key-env', 'K'], { K: key }, '  \n', 2, /No token on standard input/],
    [
      ['fernet', 'rotate', '--key-env', 'K'],
      { K: generateFernetKey() },
      `${stale}\n${stale}\n`,
      1,
      /^keyturn: Line 1: .*\[invalid-token\]$/,
    ],
    [['fernet', 'decrypt', '--key-env', 'K', '--ttl', 'soon'], { K: key }, stale, 2, /--ttl takes a whole number/],
  ];
  const results = await Promise.all(cases.map(([args, env, input]) => runCliBytes(args, { env, input })));
  for (const [i, r] of results.entries()) {
    const [args, env, , code, pattern] = cases[i]!;
    assertOneLineError(
      r,
      code,
      pattern,
      [key, ...Object.values(env)].filter((v) => v.length > 20),
    );
    assert.ok(!args.includes(key) || r.code === 2, 'a key on the command line is refused');
  }
  // and without --ttl the stale token decrypts: the TTL refusal above was about age alone
  const ok = await runCliBytes(['fernet', 'decrypt', '--key-env', 'K'], { env: { K: key }, input: stale });
  assert.equal(ok.stdout.toString(), 'old');
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
