// `keyturn fernet rotate` keeps a batch aligned: one line per line, blank lines and NULL fields kept, bad tokens named
// by line with --keep-going, and CSV/TSV exports rotated in one column, read back by Python's csv and cryptography.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { requirePythonCryptography, runPython } from '../../../test/support/python.js';
import { runCliBytes } from '../../../test/support/run-cli.js';
import { Fernet, generateFernetKey } from '../../node/crypto/fernet.js';

before(() => requirePythonCryptography());

const [OLD, NEW] = [generateFernetKey(), generateFernetKey()];
const env = { NEW_KEY: NEW, OLD_KEY: OLD };
const ROTATE = ['fernet', 'rotate', '--key-env', 'NEW_KEY', '--old-key-env', 'OLD_KEY'];
const oldF = new Fernet(OLD);
const newF = new Fernet(NEW);

test('a blank line stays blank: 5 lines in, 5 lines out, each row decrypting to its own plaintext', async () => {
  // The pipeline: (cat v1.txt; echo; head -1 v1.txt) | keyturn fernet rotate
  const v1 = ['row 1', 'row 2', 'row 3'].map((p) => oldF.encrypt(Buffer.from(p)));
  const input = `${v1.join('\n')}\n\n${v1[0]}\n`;
  const r = await runCliBytes(ROTATE, { env, input });
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout.toString('latin1').split('\n');
  assert.equal(out.pop(), '', 'ends with the newline the input ended with');
  assert.equal(out.length, 5);
  assert.equal(out[3], '', 'line 4 is still the blank line');
  const plain = out.map((t) => (t === '' ? '' : newF.decrypt(t).toString()));
  assert.deepEqual(plain, ['row 1', 'row 2', 'row 3', '', 'row 1']);

  // CRLF, surrounding spaces and a missing final newline come back as they were.
  const crlf = await runCliBytes(ROTATE, { env, input: `  ${v1[0]}\r\n\r\n${v1[1]}` });
  assert.equal(crlf.code, 0, crlf.stderr);
  const text = crlf.stdout.toString('latin1');
  assert.match(text, /^ {2}[A-Za-z0-9_=-]+\r\n\r\n[A-Za-z0-9_=-]+$/);
});

test('one bad token refuses the batch; --keep-going writes it unchanged and names every bad line', async () => {
  const good = oldF.encrypt(Buffer.from('ok'));
  const foreign = new Fernet(generateFernetKey()).encrypt(Buffer.from('not ours'));
  const input = `${good}\nnot-a-token\n\n${foreign}\n${good}\n`;
  const strict = await runCliBytes(ROTATE, { env, input });
  assert.equal(strict.code, 1);
  assert.equal(strict.stdout.length, 0, 'nothing written');
  assert.match(strict.stderr, /^keyturn: Line 2: .*--keep-going.*\[invalid-token\]\n$/);

  const going = await runCliBytes([...ROTATE, '--keep-going'], { env, input });
  assert.equal(going.code, 1, 'a batch with bad tokens is not a success');
  const lines = going.stdout.toString('latin1').split('\n');
  assert.equal(lines.length, 6);
  assert.equal(lines[1], 'not-a-token');
  assert.equal(lines[2], '');
  assert.equal(lines[3], foreign, 'the foreign token is written unchanged');
  assert.equal(newF.decrypt(lines[0]!).toString(), 'ok');
  assert.equal(newF.decrypt(lines[4]!).toString(), 'ok');
  assert.match(going.stderr, /^keyturn: line 2: .*Written unchanged\.$/m);
  assert.match(going.stderr, /^keyturn: line 4: .*Written unchanged\.$/m);
  assert.match(going.stderr, /2 tokens could not be rotated and were written unchanged; 2 rotated\./);
  assert.ok(!going.stderr.includes(foreign) && !going.stderr.includes(OLD) && !going.stderr.includes(NEW));
});

test('--format csv --column keeps ids beside tokens: quotes, commas, line breaks in other columns and NULLs survive', async () => {
  const made = await runPython<{ csv: string; rows: string[][] }>({
    script: `
import csv, io
from cryptography.fernet import Fernet
f = Fernet(data['key'])
rows = [['id', 'email_enc', 'note']]
notes = ['plain', 'has, comma', 'two\\nlines', 'say "hi"', '']
for i in range(1, 6):
    token = '' if i == 3 else f.encrypt(('user%d@example.com' % i).encode()).decode()
    rows.append([str(i), token, notes[i - 1]])
out = io.StringIO()
w = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator='\\r\\n')
w.writerows(rows)
emit({'csv': out.getvalue(), 'rows': rows})
`,
    input: { key: OLD },
  });
  const r = await runCliBytes([...ROTATE, '--format', 'csv', '--column', '2', '--header'], { env, input: made.csv });
  assert.equal(r.code, 0, r.stderr);
  const back = await runPython<string[][]>({
    script: `
import csv, io
from cryptography.fernet import Fernet
f = Fernet(data['key'])
rows = list(csv.reader(io.StringIO(data['csv'], newline='')))
emit([rows[0]] + [[r[0], f.decrypt(r[1].encode()).decode() if r[1] else '', r[2]] for r in rows[1:]])
`,
    input: { key: NEW, csv: r.stdout.toString('latin1') },
  });
  assert.deepEqual(
    back,
    made.rows.map((row, i) => (i === 0 ? row : [row[0]!, row[1] ? `user${row[0]}@example.com` : '', row[2]!])),
  );
  // Only the token column changed: the rest of each record is byte for byte the input.
  const strip = (s: string) => s.replace(/gAAAAA[A-Za-z0-9_=-]+/g, 'T');
  assert.equal(strip(r.stdout.toString('latin1')), strip(made.csv));

  const noColumn = await runCliBytes([...ROTATE, '--format', 'csv'], { env, input: made.csv });
  assert.equal(noColumn.code, 2);
  assert.match(noColumn.stderr, /--format csv needs --column N/);
  const tooFar = await runCliBytes([...ROTATE, '--format', 'csv', '--column', '9', '--header'], { env, input: made.csv });
  assert.equal(tooFar.code, 2);
  assert.match(tooFar.stderr, /Line 2 has 3 columns, so there is no column 9/);
});

test('--format tsv rotates a PostgreSQL COPY export and keeps \\N (NULL) as it is', async () => {
  const t = (s: string) => oldF.encrypt(Buffer.from(s));
  const input = `1\t${t('a')}\tx\n2\t\\N\ty\n3\t${t('c')}\t\\N\n`;
  const r = await runCliBytes([...ROTATE, '--format', 'tsv', '--column', '2'], { env, input });
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout
    .toString('latin1')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
  assert.deepEqual(
    rows.map((row) => [row[0], row[1] === '\\N' ? null : newF.decrypt(row[1]!).toString(), row[2]]),
    [
      ['1', 'a', 'x'],
      ['2', null, 'y'],
      ['3', 'c', '\\N'],
    ],
  );
});
