// KEYTURN_HOME/audit.log: one JSON line per action, each hashing the line before it, plus `audit.head` (line count and
// last hash) so lines cut from the end are noticed too. Callers append while holding the home lock.
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import {
  AUDIT_FIELDS,
  AUDIT_GENESIS,
  canonicalAuditLine,
  type AuditEntry,
  type AuditEvent,
  type AuditVerification,
} from '../../../shared/domain/audit.js';
import { KeyturnError } from '../../../shared/domain/errors.js';
import { writeFileAtomic } from '../files/atomic-write.js';

const HEX64 = /^[0-9a-f]{64}$/;
const OUTCOMES = new Set(['ok', 'failed', 'refused']);
const ALLOWED = new Set<string>([...AUDIT_FIELDS, 'hash']);

interface Head {
  lines: number;
  hash: string;
}

export function hashAuditLine(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalAuditLine(entry), 'utf8').digest('hex');
}

/** Parse one line; a string says what is wrong with it. */
export function parseAuditLine(line: string): AuditEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object';
  const e = value as Record<string, unknown>;
  const extra = Object.keys(e).find((k) => !ALLOWED.has(k));
  if (extra) return `has a field "${extra.slice(0, 40)}" that Keyturn never writes`;
  if (typeof e.ts !== 'string' || typeof e.action !== 'string' || typeof e.key !== 'string') return 'lacks ts, action or key';
  if (typeof e.outcome !== 'string' || !OUTCOMES.has(e.outcome)) return 'has no valid outcome';
  if (e.version !== undefined && !(Number.isInteger(e.version) && (e.version as number) > 0)) return 'has an invalid version';
  if (e.target !== undefined && typeof e.target !== 'string') return 'has an invalid target';
  if (e.code !== undefined && typeof e.code !== 'string') return 'has an invalid code';
  if (typeof e.prev !== 'string' || !HEX64.test(e.prev) || typeof e.hash !== 'string' || !HEX64.test(e.hash))
    return 'lacks a valid prev or hash';
  return e as unknown as AuditEntry;
}

function lineText(entry: AuditEntry): string {
  const { hash, ...rest } = entry;
  return `${canonicalAuditLine(rest).slice(0, -1)},"hash":${JSON.stringify(hash)}}`;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export class AuditLog {
  readonly headPath: string;

  constructor(readonly path: string) {
    this.headPath = `${path}.head`;
  }

  private async readText(): Promise<string> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw new KeyturnError(
        'io',
        `Keyturn cannot read ${this.path} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check its permissions.`,
      );
    }
  }

  private async readHead(): Promise<Head | undefined> {
    try {
      const head = JSON.parse(await readFile(this.headPath, 'utf8')) as Head;
      if (Number.isInteger(head.lines) && head.lines >= 0 && typeof head.hash === 'string') return head;
      return undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The last line and the line count, reading only the file's tail. audit.head must agree (or lag by the one line a
   * crash between the two writes leaves), otherwise appending would hide lines cut from the end.
   */
  private async tail(): Promise<{ last?: string; lines: number }> {
    const size = await stat(this.path).then(
      (s) => s.size,
      () => 0,
    );
    const head = await this.readHead();
    if (size === 0) {
      if (head && head.lines > 0) throw this.broken(`it is empty but Keyturn wrote ${head.lines} lines`);
      return { lines: 0 };
    }
    const start = Math.max(0, size - 65536);
    const handle = await open(this.path, 'r');
    let chunk: string;
    try {
      const buf = Buffer.alloc(size - start);
      await handle.read(buf, 0, buf.length, start);
      chunk = buf.toString('utf8');
    } finally {
      await handle.close();
    }
    if (!chunk.endsWith('\n')) throw this.broken('its last line is incomplete');
    const tailLines = splitLines(chunk);
    const last = tailLines[tailLines.length - 1]!;
    const hashOf = (line: string | undefined): string | undefined => {
      const parsed = line === undefined ? undefined : parseAuditLine(line);
      return typeof parsed === 'object' ? parsed.hash : undefined;
    };
    if (!head) return { last, lines: splitLines(await this.readText()).length };
    if (hashOf(last) === head.hash) return { last, lines: head.lines };
    if (hashOf(tailLines[tailLines.length - 2]) === head.hash) return { last, lines: head.lines + 1 };
    throw this.broken(`its end does not match ${this.headPath}: lines were removed or rewritten`);
  }

  private broken(what: string): KeyturnError {
    return new KeyturnError(
      'audit-broken',
      `The audit log ${this.path} is damaged (${what}); run "keyturn audit verify", keep it as evidence by moving it and ${this.headPath} aside, then try again (a new chain starts).`,
    );
  }

  /** Fails with audit-broken when a line could not be appended, so callers can refuse before changing anything. */
  async assertAppendable(): Promise<void> {
    const { last } = await this.tail();
    const parsed = last === undefined ? undefined : parseAuditLine(last);
    if (typeof parsed === 'string') throw this.broken(`its last line ${parsed}`);
  }

  /** Append one line. The caller holds the home lock, so prev is the true last line. */
  async appendUnlocked(event: AuditEvent, now: Date = new Date()): Promise<AuditEntry> {
    const { last, lines } = await this.tail();
    let prev = AUDIT_GENESIS;
    if (last !== undefined) {
      const parsed = parseAuditLine(last);
      if (typeof parsed === 'string') throw this.broken(`its last line ${parsed}`);
      prev = parsed.hash;
    }
    const base: Omit<AuditEntry, 'hash'> = { ts: now.toISOString(), ...event, prev };
    const entry: AuditEntry = { ...base, hash: hashAuditLine(base) };
    const handle = await open(this.path, 'a', 0o600);
    try {
      await handle.appendFile(`${lineText(entry)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await writeFileAtomic(this.headPath, `${JSON.stringify({ lines: lines + 1, hash: entry.hash })}\n`);
    return entry;
  }

  /** Every readable line, oldest first; damaged lines are left out here and reported by verify(). */
  async entries(): Promise<AuditEntry[]> {
    return splitLines(await this.readText())
      .map(parseAuditLine)
      .filter((e): e is AuditEntry => typeof e !== 'string');
  }

  async verify(): Promise<AuditVerification> {
    const lines = splitLines(await this.readText());
    let prev = AUDIT_GENESIS;
    for (const [i, line] of lines.entries()) {
      const n = i + 1;
      const entry = parseAuditLine(line);
      if (typeof entry === 'string') return { ok: false, lines: lines.length, firstBadLine: n, reason: `line ${n} ${entry}` };
      const { hash, ...rest } = entry;
      if (hashAuditLine(rest) !== hash)
        return { ok: false, lines: lines.length, firstBadLine: n, reason: `line ${n} was edited: its hash does not match its content` };
      if (entry.prev !== prev) {
        return {
          ok: false,
          lines: lines.length,
          firstBadLine: n,
          reason: `line ${n} does not follow line ${n - 1}: a line was removed, inserted or reordered`,
        };
      }
      prev = hash;
    }
    const head = await this.readHead();
    if (head && head.lines > 0) {
      if (lines.length < head.lines) {
        return {
          ok: false,
          lines: lines.length,
          firstBadLine: lines.length + 1,
          reason: `the log ends after line ${lines.length} but Keyturn wrote ${head.lines} lines: lines were removed from the end`,
        };
      }
      const atHead = parseAuditLine(lines[head.lines - 1]!);
      if (typeof atHead === 'string' || atHead.hash !== head.hash) {
        return {
          ok: false,
          lines: lines.length,
          firstBadLine: head.lines,
          reason: `line ${head.lines} is not the line Keyturn wrote there: the log was rewritten`,
        };
      }
    }
    return { ok: true, lines: lines.length };
  }
}
