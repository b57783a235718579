// Every finding the .env checker can report: a stable code, its usual severity and what it means (for SARIF rules and the UI).

export type Severity = 'error' | 'warning' | 'info';

export interface CodeInfo {
  severity: Severity;
  title: string;
  help: string;
}

export const FINDING_CODES = {
  'syntax-error': {
    severity: 'error',
    title: 'Line python-dotenv cannot read',
    help: 'python-dotenv skips a statement it cannot parse, so the variable silently goes missing. Fix the quoting or the NAME=value form.',
  },
  'not-a-variable': {
    severity: 'warning',
    title: 'Line that is not a variable',
    help: "A line without '=', or whose name is not a variable name, sets nothing useful and is often part of a pasted key or token. Keyturn describes it by line, length and character classes, never by its text. Remove it, or quote the value it belongs to.",
  },
  'ambiguous-syntax': {
    severity: 'warning',
    title: 'python-dotenv and npm dotenv read this line differently',
    help: 'Quoting, escapes, backticks or an inline # mean the two common parsers yield different values. Use single quotes or plain NAME=value.',
  },
  'missing-required': {
    severity: 'error',
    title: 'Required variable missing',
    help: 'A profile, schema or .env.example annotation requires this variable. Add it, or run `keyturn env fix` to generate secrets.',
  },
  'empty-value': {
    severity: 'warning',
    title: 'Variable set to nothing',
    help: 'An empty value overrides the application default with an empty string. Set a value or remove the line.',
  },
  'invalid-format': {
    severity: 'error',
    title: 'Value does not have the expected type',
    help: 'The value is not a valid Fernet key, URL, integer, boolean, e-mail, duration or allowed choice for this variable.',
  },
  'weak-value': {
    severity: 'error',
    title: 'Placeholder or weak secret',
    help: 'Placeholders such as your-..., <...> or changeme, short values and low-entropy values are guessable. Generate a fresh value.',
  },
  'public-example': {
    severity: 'error',
    title: 'Value published in documentation',
    help: 'This exact value is printed in a migration guide or specification; anyone can read it. Treat it as compromised and generate a fresh one.',
  },
  'duplicate-key': {
    severity: 'warning',
    title: 'Variable set more than once',
    help: 'python-dotenv and npm dotenv keep the last assignment; earlier ones are dead text that misleads readers. Remove all but one.',
  },
  'reused-secret': {
    severity: 'error',
    title: 'One secret used for two variables',
    help: 'Two secrets with the same value (e.g. SECRET_KEY and JWT_SECRET_KEY) fall together. Give each its own generated value.',
  },
  'not-in-example': {
    severity: 'warning',
    title: 'Variable missing from .env.example',
    help: 'The example file is how others learn which variables exist. Add the name (without its value) to .env.example.',
  },
  'missing-from-example': {
    severity: 'warning',
    title: '.env.example variable not set',
    help: '.env.example declares this variable but the file does not set it. Add it, or remove it from the example if it is obsolete.',
  },
  'unknown-variable': {
    severity: 'info',
    title: 'Variable no rule describes',
    help: 'No profile, schema or example mentions this variable; it may be a typo or obsolete.',
  },
  'insecure-permissions': {
    severity: 'warning',
    title: 'File readable by other users',
    help: 'A .env file holds secrets: make it readable by its owner only (chmod 600).',
  },
  'tracked-by-git': {
    severity: 'error',
    title: 'File tracked by git',
    help: 'A committed .env file publishes its secrets to everyone with the repository. Untrack it, ignore it, and rotate its secrets.',
  },
  'interpolated-value': {
    severity: 'info',
    title: 'Value expanded by python-dotenv',
    help: 'python-dotenv replaces ${VAR} in this value at load time, so its type is checked on the variables it refers to.',
  },
  'rule-conflict': {
    severity: 'warning',
    title: 'Profile, schema and example disagree',
    help: 'Two rule sources state different constraints for one variable. The schema file wins over .env.example, which wins over the profile; required wins over optional.',
  },
  'invalid-annotation': {
    severity: 'warning',
    title: 'Annotation Keyturn cannot read',
    help: 'A `# type:`, `# min:` or similar comment in .env.example has a value Keyturn does not understand; it is ignored.',
  },
  'stale-value': {
    severity: 'warning',
    title: 'Value of a retiring or retired key version',
    help: 'The value equals an older version of a key in the keychain: the application still uses the key a rotation replaced. Write the current version with `keyturn env set`.',
  },
  'key-match': {
    severity: 'info',
    title: 'Value of a stored key',
    help: 'The value equals a version of a key in the keychain (shown with --verbose).',
  },
  'skipped-file': {
    severity: 'info',
    title: 'File found but not read',
    help: 'A file whose name looks like a .env file is binary, too large or not UTF-8 (e.g. an encrypted .env.gpg), or is a symbolic link out of the folder being checked; it was not read.',
  },
} as const satisfies Record<string, CodeInfo>;

export type FindingCode = keyof typeof FINDING_CODES;

export const FINDING_CODE_LIST = Object.keys(FINDING_CODES) as FindingCode[];

export function codeInfo(code: FindingCode): CodeInfo {
  return FINDING_CODES[code];
}
