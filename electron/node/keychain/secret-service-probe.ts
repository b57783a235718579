// Linux: asks the Secret Service over D-Bus whether it is there, has a default keyring and whether that keyring is
// locked. keytar cannot tell "locked" from "absent" (getPassword returns null for both), so this is the honest answer.
import { DbusCallError, DbusConnection, sessionBusAddress } from './dbus/dbus-connection.js';
import type { DbusVariant } from './dbus/dbus-marshal.js';
import { abortReason } from '../lib/deadline.js';
import { KEYCHAIN_SENTENCES, type KeychainFailureCode, cancelledError } from './keychain-errors.js';
import type { KeychainStatus } from '../../../shared/domain/keychain-status.js';

const BACKEND = 'secret-service';
const SECRETS = 'org.freedesktop.secrets';
const BUS = { destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus' };

function unavailable(code: KeychainFailureCode): KeychainStatus {
  return { state: code === 'keychain-locked' ? 'locked' : 'unavailable', code, message: KEYCHAIN_SENTENCES[code], backend: BACKEND };
}

/** Throws only when `signal` aborts (with its keychain-timeout / keychain-cancelled reason). */
export async function probeSecretService(env: NodeJS.ProcessEnv = process.env, signal?: AbortSignal): Promise<KeychainStatus> {
  const address = sessionBusAddress(env);
  if (!address) return unavailable('keychain-no-dbus');
  let conn: DbusConnection;
  try {
    conn = await DbusConnection.open(address, signal);
  } catch {
    if (signal?.aborted) throw abortReason(signal, cancelledError);
    return unavailable('keychain-no-dbus');
  }
  try {
    const [owned] = await conn.call({ ...BUS, member: 'NameHasOwner', signature: 's', body: [SECRETS] }, signal);
    if (owned !== true) {
      const [names] = await conn.call({ ...BUS, member: 'ListActivatableNames' }, signal);
      if (!Array.isArray(names) || !names.includes(SECRETS)) return unavailable('keychain-no-provider');
    }
    // Calling the service starts it when it is only activatable, as libsecret would.
    const [alias] = await conn.call(
      {
        destination: SECRETS,
        path: '/org/freedesktop/secrets',
        interface: 'org.freedesktop.Secret.Service',
        member: 'ReadAlias',
        signature: 's',
        body: ['default'],
      },
      signal,
    );
    if (typeof alias !== 'string' || alias === '/') return unavailable('keychain-no-collection');
    const [locked] = await conn.call(
      {
        destination: SECRETS,
        path: alias,
        interface: 'org.freedesktop.DBus.Properties',
        member: 'Get',
        signature: 'ss',
        body: ['org.freedesktop.Secret.Collection', 'Locked'],
      },
      signal,
    );
    if ((locked as DbusVariant | undefined)?.value === true) return unavailable('keychain-locked');
    return { state: 'ok', message: 'The Secret Service default keyring is unlocked and ready.', backend: BACKEND };
  } catch (error) {
    if (signal?.aborted) throw abortReason(signal, cancelledError);
    if (error instanceof DbusCallError && /ServiceUnknown|NameHasNoOwner|Spawn/.test(error.errorName))
      return unavailable('keychain-no-provider');
    if (error instanceof DbusCallError && /UnknownObject|UnknownMethod|NoSuchObject/.test(error.errorName))
      return unavailable('keychain-no-collection');
    return unavailable('keychain-unavailable');
  } finally {
    conn.close();
  }
}

/**
 * Whether the Secret Service holds any item with exactly these attributes, locked or not, whatever schema (if any) it
 * was stored with: libsecret's lookups through keytar add keytar's schema name and miss items that `secret-tool store`
 * or another program made. Null when the service cannot be asked.
 */
export async function secretServiceHasItem(
  attributes: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env,
  signal?: AbortSignal,
): Promise<boolean | null> {
  const address = sessionBusAddress(env);
  if (!address) return null;
  let conn: DbusConnection;
  try {
    conn = await DbusConnection.open(address, signal);
  } catch {
    if (signal?.aborted) throw abortReason(signal, cancelledError);
    return null;
  }
  try {
    const [unlocked, locked] = await conn.call(
      {
        destination: SECRETS,
        path: '/org/freedesktop/secrets',
        interface: 'org.freedesktop.Secret.Service',
        member: 'SearchItems',
        signature: 'a{ss}',
        body: [Object.entries(attributes)],
      },
      signal,
    );
    return (Array.isArray(unlocked) && unlocked.length > 0) || (Array.isArray(locked) && locked.length > 0);
  } catch {
    if (signal?.aborted) throw abortReason(signal, cancelledError);
    return null;
  } finally {
    conn.close();
  }
}
