// The exact text of every command a plan names, in one place: Keyturn's own (some from issues 11, 12 and 14 still in
// flight), the database dump tools and the cloud CLIs. Values never appear: keys are named as NAME@vN, URLs as $VARIABLE.
import type { DatabaseInput, PushTargetInput } from './types.js';

/** Quotes a word for a POSIX shell when it needs it (paths with spaces); names and refs pass through as they are. */
export function sh(word: string): string {
  return /^[A-Za-z0-9@%+=:,./_-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export const ref = (key: string, version: number): string => `${key}@v${version}`;

export const keyturn = {
  rotate: (key: string) => `keyturn keys rotate ${key}`,
  show: (key: string) => `keyturn keys show ${key}`,
  /** Makes an earlier, still stored version current again; the newer one stays, retiring (the rollback of `keys rotate`). */
  revert: (key: string, to: number) => `keyturn keys revert ${key} --to-version ${to}`,
  retire: (key: string, version: number) => `keyturn keys retire ${key} --version ${version} --yes`,
  envSet: (file: string, variable: string, refs: string[]) =>
    `keyturn env set ${sh(file)} ${variable} ${refs.map((r) => `--from-key ${r}`).join(' ')}`,
  /** Every live version's public key (verifiers accept all of them). */
  jwksAll: (key: string, file: string) => `keyturn keys export ${key} --all-versions --format jwks > ${sh(file)}`,
  jwksOne: (keyRef: string, file: string) => `keyturn keys export ${keyRef} --format jwks > ${sh(file)}`,
  push: (key: string, version: number, t: PushTargetInput, stage?: 'pending') =>
    `keyturn push ${ref(key, version)} --to ${t.name}${where(t)}${stage ? ' --stage pending' : ''} --yes`,
  /** Promote finds the staged secret (bundle or not) from the push Keyturn recorded, and asks nothing. */
  promote: (key: string, version: number, t: PushTargetInput) => `keyturn push promote ${ref(key, version)} --to ${t.name}`,
  pushStatus: (t: PushTargetInput) => `keyturn push status --to ${t.name}`,
  reencrypt: (verb: 'run' | 'verify', key: string, db: DatabaseInput, table: string, columns: string[], pk?: string) =>
    [
      `keyturn reencrypt ${verb} --db-env ${db.urlVar}`,
      db.envFile ? ` --env-file ${sh(db.envFile)}` : '',
      ` --table ${sh(table)} --columns ${columns.map(sh).join(',')}`,
      pk ? ` --pk ${sh(pk)}` : '',
      ` --key ${key}`,
    ].join(''),
  /** Finds the columns holding Fernet tokens and counts, per column, the rows each version of the key opens. */
  reencryptScan: (key: string) => `keyturn reencrypt scan --db-env DATABASE_URL --env-file .env --key ${key}`,
  /** Seals the bundle's keys at their current versions (the new one among them, once `keys rotate` made it current). */
  escrowUpdate: (bundle: string) => `keyturn escrow add-version --bundle ${sh(bundle)}`,
  escrowCreate: (key: string, version: number) =>
    `keyturn escrow create --keys ${ref(key, version)} --shares 5 --threshold 3 --out escrow/${key}`,
  escrowVerify: (bundle: string) => `keyturn escrow verify --bundle ${sh(bundle)} --share SHARE1 --share SHARE2 --share SHARE3`,
  status: (plan: string) => `keyturn rotate status ${plan}`,
  envCheck: (file: string, profile: string) => `keyturn env check ${sh(file)} --profile ${sh(profile)}`,
};

function where(t: PushTargetInput): string {
  const w = pushWhere(t);
  if (w.bundle) return ` --bundle ${sh(w.bundle)}`;
  return w.secretName ? ` --secret-name ${sh(w.secretName)}` : '';
}

/** Where a push puts the key, as both the command and the step's action carry it: a bundle, a named secret, or neither. */
export function pushWhere(t: PushTargetInput): { bundle?: string; secretName?: string } {
  if (t.bundle) return { bundle: t.bundle };
  return t.secret ? { secretName: t.secret } : {};
}

/** The secret a target holds the key in: a bundle, the given secret name, or the default name for the key. */
export function remoteName(t: PushTargetInput, key: string): string {
  if (t.bundle) return t.bundle;
  if (t.secret) return t.secret;
  return t.kind === 'azure' ? azureName(key) : key;
}

/** `PII_ENC_KEY` -> `pii-enc-key`: Key Vault names allow only letters, digits and `-`. */
export function azureName(key: string): string {
  return key
    .replace(/[^0-9A-Za-z-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/** A dump of the whole database in the engine's own tool; the URL stays in its variable and never reaches the plan. */
export function dumpCommand(db: DatabaseInput, file: string): string {
  const load = loadEnv(db);
  switch (db.engine) {
    case 'postgresql':
      // libpq reads postgresql:// URLs; `${VAR#*:}` drops a SQLAlchemy scheme (postgresql+asyncpg) and keeps the rest.
      return `${load}pg_dump --format=custom --no-password --file=${sh(file)} "postgresql:\${${db.urlVar}#*:}"`;
    case 'mysql':
      return [
        load.trimEnd(),
        `# mysqldump takes no URL: split ${db.urlVar} (mysql+pymysql://USER:PASSWORD@HOST:PORT/DB) into its parts`,
        ...MYSQL_SPLIT(db.urlVar),
        `mysqldump --single-transaction --routines --host="$host" --port="$port" --user="$user" --result-file=${sh(file)} "$db"`,
        'unset MYSQL_PWD',
      ]
        .filter((l) => l.length > 0)
        .join('\n');
    case 'sqlite':
      return `${load}sqlite3 "\${${db.urlVar}#sqlite:///}" ".backup '${file.replace(/'/g, "''")}'"`;
  }
}

/** Shows the dump is there, is not empty and is readable by the engine's own tool; prints only a size. */
export function dumpCheck(db: DatabaseInput, file: string): { command: string; expect: string } {
  const f = sh(file);
  switch (db.engine) {
    case 'postgresql':
      return {
        command: `test -s ${f} && pg_restore --list ${f} > /dev/null && echo "backup ok: $(du -h ${f} | cut -f1)"`,
        expect: 'backup ok: 48M',
      };
    case 'mysql':
      return {
        command: `test -s ${f} && tail -n 1 ${f} | grep -q '^-- Dump completed' && echo "backup ok: $(du -h ${f} | cut -f1)"`,
        expect: 'backup ok: 48M',
      };
    case 'sqlite':
      return {
        command: `test -s ${f} && sqlite3 ${f} 'PRAGMA integrity_check;' && echo "backup ok: $(du -h ${f} | cut -f1)"`,
        expect: 'ok\nbackup ok: 48M',
      };
  }
}

export function restoreCommand(db: DatabaseInput, file: string): string {
  const load = loadEnv(db);
  switch (db.engine) {
    case 'postgresql':
      return `${load}pg_restore --clean --if-exists --no-owner --dbname="postgresql:\${${db.urlVar}#*:}" ${sh(file)}`;
    case 'mysql':
      return [
        load.trimEnd(),
        ...MYSQL_SPLIT(db.urlVar),
        `mysql --host="$host" --port="$port" --user="$user" "$db" < ${sh(file)}`,
        'unset MYSQL_PWD',
      ]
        .filter((l) => l.length > 0)
        .join('\n');
    case 'sqlite':
      return `${load}cp ${sh(file)} "\${${db.urlVar}#sqlite:///}"`;
  }
}

/**
 * Bash that splits a MySQL URL into host, port, user and database, and puts the URL-decoded password in MYSQL_PWD so it
 * never appears on a command line (where `ps` shows it to every user of the machine).
 */
const MYSQL_SPLIT = (v: string): string[] => [
  `u="\${${v}#*://}"; cred="\${u%%@*}"; addr="\${u#*@}"; addr="\${addr%%\\?*}"; hostport="\${addr%%/*}"`,
  `host="\${hostport%%:*}"; port="\${hostport#*:}"; [ "$port" = "$hostport" ] && port=3306; user="\${cred%%:*}"; db="\${addr#*/}"`,
  `pw="\${cred#*:}"; export MYSQL_PWD="$(printf '%b' "\${pw//%/\\\\x}")"`,
];

/** `set -a; . FILE; set +a`: puts the .env variables into this shell only, printing nothing. */
function loadEnv(db: DatabaseInput): string {
  if (!db.envFile) return '';
  // `. FILE` without a slash searches PATH first, so a bare `.env` becomes `./.env`.
  const file = db.envFile.includes('/') ? db.envFile : `./${db.envFile}`;
  return `set -a; . ${sh(file)}; set +a   # loads ${db.urlVar} into this shell; prints nothing\n`;
}

/** Counts the comma-separated keys in a variable with python-dotenv, as the application reads it; prints no value. */
export function countKeysCheck(file: string, variable: string): string {
  return `python3 -c "from dotenv import dotenv_values; v = dotenv_values('${file.replace(/'/g, "\\'")}').get('${variable}') or ''; print(len([k for k in v.split(',') if k]), 'key(s)')"`;
}
