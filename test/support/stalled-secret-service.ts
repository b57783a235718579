// A Secret Service that owns org.freedesktop.secrets and never answers: what a keyring waiting on an unlock prompt
// looks like to its callers. Run by the harness's 'stalled' scenario; ends on SIGTERM.
import { DbusConnection, sessionBusAddress } from '../../electron/node/keychain/dbus/dbus-connection.js';

const address = sessionBusAddress();
if (!address) throw new Error('stalled-secret-service needs DBUS_SESSION_BUS_ADDRESS');
const conn = await DbusConnection.open(address);
conn.onMethodCall = () => {
  // Swallow every call: the caller's timeout or cancel is what the tests exercise.
};
await conn.call({
  destination: 'org.freedesktop.DBus',
  path: '/org/freedesktop/DBus',
  interface: 'org.freedesktop.DBus',
  member: 'RequestName',
  signature: 'su',
  body: ['org.freedesktop.secrets', 4],
});
process.on('SIGTERM', () => process.exit(0));
setInterval(() => undefined, 60_000);
