// D-Bus message framing: header fields, body and the lengths that tell where one message ends.
import { DbusReader, DbusWriter, splitSignature, type DbusValue, type DbusVariant } from './dbus-marshal.js';

export const MESSAGE_TYPE = { methodCall: 1, methodReturn: 2, error: 3, signal: 4 } as const;
export const NO_REPLY_EXPECTED = 0x1;

export interface DbusMessage {
  type: number;
  flags: number;
  serial: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  signature?: string;
  body: DbusValue[];
}

const FIELDS = [
  [1, 'path', 'o'],
  [2, 'interface', 's'],
  [3, 'member', 's'],
  [4, 'errorName', 's'],
  [5, 'replySerial', 'u'],
  [6, 'destination', 's'],
  [7, 'sender', 's'],
  [8, 'signature', 'g'],
] as const;

export function encodeMessage(message: DbusMessage): Buffer {
  const body = new DbusWriter();
  const types = message.signature ? splitSignature(message.signature) : [];
  types.forEach((t, i) => body.write(t, message.body[i]!));
  const bodyBuf = body.toBuffer();

  const fields: DbusValue[] = [];
  for (const [code, key, sig] of FIELDS) {
    const value = message[key];
    if (value !== undefined && value !== '') fields.push([code, { signature: sig, value } as DbusVariant]);
  }
  const header = new DbusWriter();
  header.write('y', 'l'.charCodeAt(0));
  header.write('y', message.type);
  header.write('y', message.flags);
  header.write('y', 1);
  header.write('u', bodyBuf.length);
  header.write('u', message.serial);
  header.write('a(yv)', fields);
  header.align(8);
  return Buffer.concat([header.toBuffer(), bodyBuf]);
}

/** Decode the first complete message in `buf`; null while more bytes are needed. */
export function decodeMessage(buf: Buffer): { message: DbusMessage; length: number } | null {
  if (buf.length < 16) return null;
  if (buf[0] !== 'l'.charCodeAt(0)) throw new Error('only little-endian D-Bus messages are supported');
  const bodyLength = buf.readUInt32LE(4);
  const fieldsLength = buf.readUInt32LE(12);
  const headerLength = Math.ceil((16 + fieldsLength) / 8) * 8;
  const total = headerLength + bodyLength;
  if (buf.length < total) return null;

  const reader = new DbusReader(buf.subarray(0, headerLength));
  reader.offset = 12;
  const rawFields = reader.read('a(yv)') as [number, DbusVariant][];
  const message: DbusMessage = { type: buf[1]!, flags: buf[2]!, serial: buf.readUInt32LE(8), body: [] };
  for (const [code, variant] of rawFields) {
    const field = FIELDS.find(([c]) => c === code);
    if (field) (message as unknown as Record<string, unknown>)[field[1]] = variant.value;
  }
  if (message.signature) {
    const bodyReader = new DbusReader(buf.subarray(headerLength, total));
    message.body = splitSignature(message.signature).map((t) => bodyReader.read(t));
  }
  return { message, length: total };
}
