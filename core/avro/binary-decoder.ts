/**
 * Avro's binary encoding, read from an in-memory buffer. Every read is bounds-checked and every
 * length prefix is checked against the bytes actually left, so a truncated or forged file throws
 * AvroError instead of reading garbage, allocating gigabytes or looping.
 *
 * `long` is always returned as `bigint`, never as `number`: Iceberg snapshot ids are random 63-bit
 * values, and one representation (the engine's `Long`) means no caller can forget a range check.
 */
import { isUtf8 } from 'node:buffer';
import { AvroError } from './avro-error.js';

const MAX_LONG_VARINT_BYTES = 10;
const MAX_INT_VARINT_BYTES = 5;
/** Seven 7-bit groups (49 bits) still fit a double exactly, so short varints skip bigint maths. */
const FAST_VARINT_BYTES = 7;

const utf8 = new TextDecoder('utf-8');

export class BinaryDecoder {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private position = 0;

  constructor(input: Uint8Array) {
    // A plain Uint8Array over the same memory: on a Node Buffer (what fs, S3 and zlib hand back)
    // `slice` returns a view instead of a copy, and values would alias the file buffer.
    this.bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    this.view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  }

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  atEnd(): boolean {
    return this.position >= this.bytes.length;
  }

  private require(count: number, what: string): void {
    if (count > this.remaining) {
      throw new AvroError(`Truncated Avro data: ${what} needs ${count} bytes at offset ${this.position}, ${this.remaining} left`);
    }
  }

  private nextByte(what: string): number {
    const value = this.bytes[this.position];
    if (value === undefined) throw new AvroError(`Truncated Avro data: ${what} runs past the end at offset ${this.position}`);
    this.position += 1;
    return value;
  }

  readLong(): bigint {
    let small = 0;
    for (let index = 0; index < FAST_VARINT_BYTES; index += 1) {
      const byte = this.nextByte('long');
      small += (byte & 0x7f) * 2 ** (7 * index);
      if ((byte & 0x80) === 0) return BigInt(small % 2 === 0 ? small / 2 : -(small + 1) / 2);
    }
    let wide = BigInt(small);
    for (let index = FAST_VARINT_BYTES; index < MAX_LONG_VARINT_BYTES; index += 1) {
      const byte = this.nextByte('long');
      // The tenth byte carries only bit 63; anything more would not fit 64 bits.
      if (index === MAX_LONG_VARINT_BYTES - 1 && byte > 1) throw new AvroError('Avro long varint overflows 64 bits');
      wide |= BigInt(byte & 0x7f) << BigInt(7 * index);
      if ((byte & 0x80) === 0) return (wide >> 1n) ^ -(wide & 1n);
    }
    throw new AvroError(`Avro long varint longer than ${MAX_LONG_VARINT_BYTES} bytes`);
  }

  readInt(): number {
    let unsigned = 0;
    for (let index = 0; index < MAX_INT_VARINT_BYTES; index += 1) {
      const byte = this.nextByte('int');
      // The fifth byte carries only the top four bits of a 32-bit value.
      if (index === MAX_INT_VARINT_BYTES - 1 && byte > 0x0f) throw new AvroError('Avro int varint overflows 32 bits');
      unsigned += (byte & 0x7f) * 2 ** (7 * index);
      if ((byte & 0x80) === 0) return unsigned % 2 === 0 ? unsigned / 2 : -(unsigned + 1) / 2;
    }
    throw new AvroError(`Avro int varint longer than ${MAX_INT_VARINT_BYTES} bytes`);
  }

  readBoolean(): boolean {
    const byte = this.nextByte('boolean');
    if (byte > 1) throw new AvroError(`Invalid Avro boolean byte ${byte} at offset ${this.position - 1}`);
    return byte === 1;
  }

  readFloat(): number {
    this.require(4, 'float');
    const value = this.view.getFloat32(this.position, true);
    this.position += 4;
    return value;
  }

  readDouble(): number {
    this.require(8, 'double');
    const value = this.view.getFloat64(this.position, true);
    this.position += 8;
    return value;
  }

  /**
   * A length prefix (bytes, string, block size). Capping it by the remaining buffer is what makes a
   * forged 2^62 length fail fast instead of attempting the allocation.
   */
  readLength(what: string): number {
    const length = this.readLong();
    if (length < 0n) throw new AvroError(`Negative Avro ${what} length ${length}`);
    if (length > BigInt(this.remaining)) {
      throw new AvroError(`Avro ${what} length ${length} exceeds the ${this.remaining} bytes left at offset ${this.position}`);
    }
    return Number(length);
  }

  /** Returns a copy, so decoded values never pin (or alias) the whole file buffer. */
  readBytes(): Uint8Array {
    return this.readFixed(this.readLength('bytes'));
  }

  readString(): string {
    const length = this.readLength('string');
    const view = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    // Checked first instead of catching a fatal decoder's TypeError: that pattern crashed V8's
    // Maglev tier under hostile input (see functions/lib/api-gateway.ts bodyText).
    if (!isUtf8(view)) throw new AvroError(`Invalid UTF-8 in Avro string at offset ${this.position - length}`);
    return utf8.decode(view);
  }

  readFixed(size: number): Uint8Array {
    this.require(size, 'fixed');
    const value = this.bytes.slice(this.position, this.position + size);
    this.position += size;
    return value;
  }

  /** A zero-copy window, for container framing where the caller decodes the window itself. */
  readView(size: number, what: string): Uint8Array {
    this.require(size, what);
    const value = this.bytes.subarray(this.position, this.position + size);
    this.position += size;
    return value;
  }

  skip(size: number, what: string): void {
    this.require(size, what);
    this.position += size;
  }
}
