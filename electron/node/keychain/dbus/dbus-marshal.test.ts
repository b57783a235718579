// The D-Bus codec: values survive a round trip through the wire format, with the alignment rules D-Bus requires.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DbusReader, DbusWriter, splitSignature } from './dbus-marshal.js';
import { MESSAGE_TYPE, decodeMessage, encodeMessage } from './dbus-message.js';

test('splitSignature separates complete types', () => {
  assert.deepEqual(splitSignature('sa{sv}(ii)aas'), ['s', 'a{sv}', '(ii)', 'aas']);
  assert.throws(() => splitSignature('(ii'), /unclosed/);
});

test('values round-trip with padding between differently aligned types', () => {
  const w = new DbusWriter();
  const values: [string, unknown][] = [
    ['y', 7],
    ['s', 'héllo'],
    ['b', true],
    [
      'a(yv)',
      [
        [1, { signature: 'o', value: '/org/x' }],
        [5, { signature: 'u', value: 42 }],
      ],
    ],
    ['as', ['a', 'bc', '']],
    ['v', { signature: 'b', value: false }],
  ];
  for (const [t, v] of values) w.write(t, v as never);
  const r = new DbusReader(w.toBuffer());
  for (const [t, v] of values) assert.deepEqual(r.read(t), v);
});

test('the array length excludes the padding before the first element', () => {
  const w = new DbusWriter();
  w.write('a(yy)', [[1, 2]]);
  const buf = w.toBuffer();
  // 4-byte length, 4 bytes of padding to the struct's 8-byte boundary, then 2 bytes of struct.
  assert.equal(buf.readUInt32LE(0), 2);
  assert.equal(buf.length, 10);
});

test('a message decodes to what was encoded, and a partial buffer asks for more', () => {
  const bytes = encodeMessage({
    type: MESSAGE_TYPE.methodCall,
    flags: 0,
    serial: 9,
    destination: 'org.freedesktop.secrets',
    path: '/org/freedesktop/secrets',
    interface: 'org.freedesktop.Secret.Service',
    member: 'ReadAlias',
    signature: 's',
    body: ['default'],
  });
  assert.equal(decodeMessage(bytes.subarray(0, bytes.length - 1)), null);
  const decoded = decodeMessage(Buffer.concat([bytes, Buffer.from([0x6c])]));
  assert.ok(decoded);
  assert.equal(decoded.length, bytes.length);
  assert.equal(decoded.message.member, 'ReadAlias');
  assert.equal(decoded.message.serial, 9);
  assert.deepEqual(decoded.message.body, ['default']);
});
