// D-Bus wire format (little-endian) for the few messages the Secret Service probe sends and reads; no dependency.

export type DbusValue = number | bigint | boolean | string | DbusValue[] | DbusVariant;
export interface DbusVariant {
  signature: string;
  value: DbusValue;
}

const ALIGN: Record<string, number> = {
  y: 1,
  b: 4,
  n: 2,
  q: 2,
  i: 4,
  u: 4,
  x: 8,
  t: 8,
  d: 8,
  h: 4,
  s: 4,
  o: 4,
  g: 1,
  a: 4,
  '(': 8,
  '{': 8,
  v: 1,
};

/** Split a signature into its single complete types: "sa{sv}(ii)" -> ["s", "a{sv}", "(ii)"]. */
export function splitSignature(signature: string): string[] {
  const types: string[] = [];
  let i = 0;
  while (i < signature.length) {
    const end = completeTypeEnd(signature, i);
    types.push(signature.slice(i, end));
    i = end;
  }
  return types;
}

function completeTypeEnd(sig: string, start: number): number {
  const c = sig[start];
  if (c === undefined) throw new Error('D-Bus signature ended early');
  if (c === 'a') return completeTypeEnd(sig, start + 1);
  if (c === '(' || c === '{') {
    const close = c === '(' ? ')' : '}';
    let i = start + 1;
    while (sig[i] !== close) {
      if (i >= sig.length) throw new Error('D-Bus signature has an unclosed container');
      i = completeTypeEnd(sig, i);
    }
    return i + 1;
  }
  if (!(c in ALIGN)) throw new Error(`D-Bus type ${c} is not supported`);
  return start + 1;
}

export class DbusWriter {
  private chunks: number[] = [];

  get length(): number {
    return this.chunks.length;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.chunks);
  }

  align(n: number): void {
    while (this.chunks.length % n !== 0) this.chunks.push(0);
  }

  private bytes(buf: Buffer): void {
    for (const b of buf) this.chunks.push(b);
  }

  private uint32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    this.bytes(b);
  }

  write(type: string, value: DbusValue): void {
    const c = type[0];
    this.align(ALIGN[c!] ?? 1);
    switch (c) {
      case 'y':
        this.chunks.push(Number(value) & 0xff);
        return;
      case 'b':
        this.uint32(value ? 1 : 0);
        return;
      case 'u':
      case 'i':
      case 'h':
        this.uint32(Number(value));
        return;
      case 's':
      case 'o': {
        const b = Buffer.from(String(value), 'utf8');
        this.uint32(b.length);
        this.bytes(b);
        this.chunks.push(0);
        return;
      }
      case 'g': {
        const b = Buffer.from(String(value), 'utf8');
        this.chunks.push(b.length);
        this.bytes(b);
        this.chunks.push(0);
        return;
      }
      case 'v': {
        const v = value as DbusVariant;
        this.write('g', v.signature);
        this.write(v.signature, v.value);
        return;
      }
      case 'a': {
        const elem = type.slice(1);
        const lengthAt = this.chunks.length;
        this.uint32(0);
        this.align(ALIGN[elem[0]!] ?? 1);
        const start = this.chunks.length;
        for (const item of value as DbusValue[]) this.write(elem, item);
        const len = Buffer.alloc(4);
        len.writeUInt32LE(this.chunks.length - start);
        for (let k = 0; k < 4; k += 1) this.chunks[lengthAt + k] = len[k]!;
        return;
      }
      case '(':
      case '{': {
        const members = splitSignature(type.slice(1, -1));
        const items = value as DbusValue[];
        members.forEach((m, k) => this.write(m, items[k]!));
        return;
      }
      default:
        throw new Error(`D-Bus type ${type} cannot be written`);
    }
  }
}

export class DbusReader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}

  align(n: number): void {
    this.offset = Math.ceil(this.offset / n) * n;
  }

  private need(n: number): void {
    if (this.offset + n > this.buf.length) throw new Error('D-Bus message is truncated');
  }

  read(type: string): DbusValue {
    const c = type[0]!;
    this.align(ALIGN[c] ?? 1);
    switch (c) {
      case 'y':
        this.need(1);
        return this.buf.readUInt8(this.offset++);
      case 'b':
        return this.u32() !== 0;
      case 'n':
        this.need(2);
        this.offset += 2;
        return this.buf.readInt16LE(this.offset - 2);
      case 'q':
        this.need(2);
        this.offset += 2;
        return this.buf.readUInt16LE(this.offset - 2);
      case 'i':
        this.need(4);
        this.offset += 4;
        return this.buf.readInt32LE(this.offset - 4);
      case 'u':
      case 'h':
        return this.u32();
      case 'x':
        this.need(8);
        this.offset += 8;
        return this.buf.readBigInt64LE(this.offset - 8);
      case 't':
        this.need(8);
        this.offset += 8;
        return this.buf.readBigUInt64LE(this.offset - 8);
      case 'd':
        this.need(8);
        this.offset += 8;
        return this.buf.readDoubleLE(this.offset - 8);
      case 's':
      case 'o': {
        const len = this.u32();
        this.need(len + 1);
        const s = this.buf.toString('utf8', this.offset, this.offset + len);
        this.offset += len + 1;
        return s;
      }
      case 'g': {
        this.need(1);
        const len = this.buf.readUInt8(this.offset++);
        this.need(len + 1);
        const s = this.buf.toString('utf8', this.offset, this.offset + len);
        this.offset += len + 1;
        return s;
      }
      case 'v': {
        const signature = this.read('g') as string;
        return { signature, value: this.read(signature) };
      }
      case 'a': {
        const elem = type.slice(1);
        const len = this.u32();
        this.align(ALIGN[elem[0]!] ?? 1);
        const end = this.offset + len;
        this.need(len);
        const items: DbusValue[] = [];
        while (this.offset < end) items.push(this.read(elem));
        return items;
      }
      case '(':
      case '{':
        return splitSignature(type.slice(1, -1)).map((m) => this.read(m));
      default:
        throw new Error(`D-Bus type ${type} cannot be read`);
    }
  }

  private u32(): number {
    this.need(4);
    this.offset += 4;
    return this.buf.readUInt32LE(this.offset - 4);
  }
}
