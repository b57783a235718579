// Python's `cryptography` as the Fernet oracle for re-encryption tests: it writes the stored tokens (at chosen
// timestamps) and judges the result (which key opens each token, what plaintext, which timestamp). Keys go over stdin.
import { runPython } from './python.js';

export interface PythonToken {
  plaintext: Buffer;
  /** Token creation time, seconds. */
  at: number;
}

/** Tokens as Python's `Fernet(key).encrypt_at_time` writes them (text, padded url-safe base64). */
export function pythonEncrypt(key: string, items: PythonToken[]): Promise<string[]> {
  return runPython<string[]>({
    script: `from cryptography.fernet import Fernet
f = Fernet(data['key'].encode())
emit([f.encrypt_at_time(base64.b64decode(p), t).decode() for p, t in data['items']])`,
    input: { key, items: items.map((i) => [i.plaintext.toString('base64'), i.at]) },
  });
}

export interface PythonJudgement {
  /** Plaintext (base64) under `Fernet(newKey)`, or null when it refuses the token. */
  underNew: string | null;
  /** True when `Fernet(oldKey)` opens the token. */
  underOld: boolean;
  /** The token's timestamp as `Fernet(newKey).extract_timestamp` reads it (null when refused). */
  timestamp: number | null;
}

/** What Python's Fernet says of each token (null tokens stay null). */
export function pythonJudge(newKey: string, oldKey: string, tokens: (string | null)[]): Promise<(PythonJudgement | null)[]> {
  return runPython<(PythonJudgement | null)[]>({
    script: `from cryptography.fernet import Fernet, InvalidToken
new, old = Fernet(data['new'].encode()), Fernet(data['old'].encode())
out = []
for t in data['tokens']:
    if t is None:
        out.append(None); continue
    try:
        p = base64.b64encode(new.decrypt(t.encode())).decode(); ts = new.extract_timestamp(t.encode())
    except InvalidToken:
        p = None; ts = None
    try:
        old.decrypt(t.encode()); o = True
    except InvalidToken:
        o = False
    out.append({'underNew': p, 'underOld': o, 'timestamp': ts})
emit(out)`,
    input: { new: newKey, old: oldKey, tokens },
  });
}

/** A key as Python's `Fernet.generate_key()` writes it. */
export async function pythonKey(): Promise<string> {
  return runPython<string>({ script: `from cryptography.fernet import Fernet\nemit(Fernet.generate_key().decode())` });
}
