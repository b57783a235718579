// A child process for the keychain adapter tests: libsecret caches its D-Bus connection per process, so each scenario
// runs its calls here. Reads {timeoutMs, ops:[{op, account?, value?}]} as JSON on stdin (values never on argv) and
// prints one JSON array of results. Exits at once when done, even if a timed-out native call is still waiting.
import { KeyturnError } from '../../shared/domain/errors.js';
import { createKeychain } from '../../electron/node/keychain/create-keychain.js';
import { KEYCHAIN_DEADLINE_ERRORS } from '../../electron/node/keychain/keychain-errors.js';
import { deadline } from '../../electron/node/lib/deadline.js';

interface Op {
  /** raw-get: keytar itself, without the adapter, to show what the adapter protects against. */
  op: 'get' | 'set' | 'delete' | 'list' | 'status' | 'raw-get';
  account?: string;
  value?: string;
  /** Cancel the call this long after it starts, as the desktop app does when the user gives up waiting. */
  cancelAfterMs?: number;
}

let input = '';
for await (const chunk of process.stdin) input += String(chunk);
const { timeoutMs, ops } = JSON.parse(input) as { timeoutMs: number; ops: Op[] };
const keychain = createKeychain(process.env.KEYTURN_KEYCHAIN_SERVICE || 'keyturn');
const results: unknown[] = [];
for (const op of ops) {
  const cancel = new AbortController();
  const canceller = op.cancelAfterMs === undefined ? undefined : setTimeout(() => cancel.abort(), op.cancelAfterMs);
  const bound = deadline(timeoutMs, cancel.signal, KEYCHAIN_DEADLINE_ERRORS);
  try {
    const s = bound.signal;
    let value: unknown;
    if (op.op === 'get') value = await keychain.get(op.account!, s);
    if (op.op === 'set') value = await keychain.set(op.account!, op.value!, s);
    if (op.op === 'delete') value = await keychain.delete(op.account!, s);
    if (op.op === 'list') value = await keychain.list(s);
    if (op.op === 'status') value = await keychain.status(s);
    if (op.op === 'raw-get')
      value = await (await import('keytar')).default.getPassword(process.env.KEYTURN_KEYCHAIN_SERVICE || 'keyturn', op.account!);
    results.push({ ok: true, value });
  } catch (error) {
    results.push(
      error instanceof KeyturnError
        ? { ok: false, code: error.code, message: error.message }
        : { ok: false, code: 'unexpected', message: String(error) },
    );
  } finally {
    bound.dispose();
    clearTimeout(canceller);
  }
}
process.stdout.write(JSON.stringify(results));
process.exit(0);
