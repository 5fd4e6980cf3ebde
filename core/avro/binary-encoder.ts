/**
 * Avro's binary encoding, written into a growable buffer. Only the writer side of the tests and
 * fixtures uses it, so it favours plainness over speed.
 */
import { AvroError } from './avro-error.js';

const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;
const utf8 = new TextEncoder();

export class BinaryEncoder {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  get size(): number {
    return this.length;
  }

  private reserve(count: number): void {
    if (this.length + count <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + count) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
    this.view = new DataView(next.buffer);
  }

  /** Copies out what was written so the encoder can be reset and reused. */
  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }

  writeLong(value: bigint | number): void {
    const long = typeof value === 'bigint' ? value : BigInt(value);
    if (long < MIN_LONG || long > MAX_LONG) throw new AvroError(`Value ${long} does not fit an Avro long`);
    let zigzag = BigInt.asUintN(64, (long << 1n) ^ (long >> 63n));
    this.reserve(10);
    while (zigzag >= 0x80n) {
      this.buffer[this.length++] = Number(zigzag & 0x7fn) | 0x80;
      zigzag >>= 7n;
    }
    this.buffer[this.length++] = Number(zigzag);
  }

  writeInt(value: number): void {
    if (!Number.isInteger(value) || value < -(2 ** 31) || value > 2 ** 31 - 1) {
      throw new AvroError(`Value ${value} does not fit an Avro int`);
    }
    this.writeLong(value);
  }

  writeBoolean(value: boolean): void {
    this.reserve(1);
    this.buffer[this.length++] = value ? 1 : 0;
  }

  writeFloat(value: number): void {
    this.reserve(4);
    this.view.setFloat32(this.length, value, true);
    this.length += 4;
  }

  writeDouble(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  writeBytes(value: Uint8Array): void {
    this.writeLong(value.length);
    this.writeFixed(value);
  }

  writeString(value: string): void {
    this.writeBytes(utf8.encode(value));
  }

  writeFixed(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }
}
