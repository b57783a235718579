// A folder of .env files with canary secrets planted everywhere the checker reads text that is not a variable name,
// and the search that proves no output holds any of them (whole, or any 10-character piece of one).
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CanaryTree {
  /** The folder to check (holds `app/` and `repo/`). */
  root: string;
  /** A private key outside `root`, like ~/.ssh/id_rsa; `repo/.env` is a symlink to it. */
  outsideKey: string;
  /** Its PEM text (the reproduction rebuilds it from findings). */
  outsideKeyPem: string;
  /** Not JSON, and JSON with a canary field name: each named with --schema. */
  badSchemas: string[];
  /** Every planted string; none may appear in any output. */
  canaries: string[];
}

/** V8's JSON.parse errors quote 10 characters of the text: a piece that short already counts as a leak. */
const PIECE = 10;

function token(prefix: string, bytes = 30): string {
  return `${prefix}${randomBytes(bytes).toString('base64').replace(/[+/=]/g, '')}`;
}

function pemBody(pem: string): string[] {
  return pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
}

/** Plants the canaries under `root` (created) and `outside` (created, not under root). */
export function plantCanaryTree(root: string, outside: string): CanaryTree {
  mkdirSync(join(root, 'app'), { recursive: true });
  mkdirSync(join(root, 'repo'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const pasted = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const stray = token('sk_live_');
  const fragment = randomBytes(45).toString('base64').replace(/[+/]/g, 'Q');
  const value = token('', 32);
  const exampleStray = token('ghp_', 27);
  const annotation = token('Zx', 18);
  const schemaText = token('notjson', 24);
  const schemaKey = token('sk_test_', 24);

  const outsideKey = join(outside, 'id_rsa');
  writeFileSync(outsideKey, rsa, { mode: 0o600 });
  symlinkSync(outsideKey, join(root, 'repo', '.env'));

  const appEnv = join(root, 'app', '.env');
  writeFileSync(
    appEnv,
    [
      '# an application .env with a key pasted without quotes, a stray token and a base64 fragment',
      'APP_ENV=production',
      `SECRET_KEY=${value}`,
      `JWT_PRIVATE_KEY=${pasted.trimEnd()}`,
      stray,
      `${fragment}=x`,
      '',
    ].join('\n'),
  );
  chmodSync(appEnv, 0o600);
  writeFileSync(join(root, 'app', '.env.example'), ['APP_ENV=', `# required, ${annotation}`, 'SECRET_KEY=', exampleStray, ''].join('\n'));
  const badSchemas = [join(root, 'bad-schema.json'), join(root, 'bad-fields.json')];
  writeFileSync(badSchemas[0]!, `${schemaText}\n{"variables": {}}\n`);
  writeFileSync(badSchemas[1]!, JSON.stringify({ variables: { APP_ENV: { type: 'string' } }, [schemaKey]: true }));
  return {
    root,
    outsideKey,
    outsideKeyPem: rsa,
    badSchemas,
    canaries: [...pemBody(rsa), ...pemBody(pasted), stray, fragment, value, exampleStray, annotation, schemaText, schemaKey],
  };
}

/** Every 10-character piece of every canary (a partial echo counts), plus each canary whole. */
function pieces(canaries: string[]): string[] {
  const out = new Set<string>();
  for (const c of canaries) {
    out.add(c);
    for (let i = 0; i + PIECE <= c.length; i += 1) out.add(c.slice(i, i + PIECE));
  }
  return [...out];
}

/** The canary pieces found in `text` (empty when clean); JSON escapes are undone first. */
export function canariesIn(text: string, canaries: string[]): string[] {
  const plain = text.replace(/\\\//g, '/').replace(/\\u002b/gi, '+');
  return pieces(canaries).filter((p) => plain.includes(p));
}

/** Files under `dir` with any canary piece, as `path: piece`. */
export function canaryFilesUnder(dir: string, canaries: string[]): string[] {
  const hits: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else for (const hit of canariesIn(readFileSync(path, 'latin1'), canaries)) hits.push(`${path}: ${hit}`);
    }
  };
  walk(dir);
  return hits;
}
