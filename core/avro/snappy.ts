/**
 * Raw snappy blocks (no framing format), as Avro's `snappy` codec stores them: a varint preamble with
 * the uncompressed length, then literal and back-reference copy elements.
 *
 * The declared length is checked against what the input could possibly expand to (a 3-byte copy
 * yields at most 64 bytes) and against the caller's cap before anything is allocated; every copy
 * offset and length is checked against the output written so far. The catalog only reads snappy;
 * tests write it with test/support/avro-snappy.ts.
 */
import { AvroError } from './avro-error.js';

/** The best any element does: a 3-byte copy-2 tag expanding to 64 bytes. */
const MAX_EXPANSION = 22;

function readPreamble(input: Uint8Array): { length: number; start: number } {
  let length = 0;
  for (let index = 0; index < 5; index += 1) {
    const byte = input[index];
    if (byte === undefined) throw new AvroError('Truncated snappy preamble');
    length += (byte & 0x7f) * 2 ** (7 * index);
    if ((byte & 0x80) === 0) {
      if (length > 0xffffffff) throw new AvroError('Snappy uncompressed length overflows 32 bits');
      return { length, start: index + 1 };
    }
  }
  throw new AvroError('Snappy preamble longer than 5 bytes');
}

function littleEndian(input: Uint8Array, at: number, count: number): number {
  if (at + count > input.length) throw new AvroError('Truncated snappy element');
  let value = 0;
  for (let index = 0; index < count; index += 1) value += input[at + index]! * 2 ** (8 * index);
  return value;
}

export function snappyDecompress(input: Uint8Array, maxOutputBytes: number): Uint8Array {
  const { length, start } = readPreamble(input);
  if (length > maxOutputBytes) throw new AvroError(`Snappy block of ${length} bytes exceeds the ${maxOutputBytes}-byte limit`);
  if (length > (input.length - start) * MAX_EXPANSION) {
    throw new AvroError(`Snappy block claims ${length} bytes, more than ${input.length} compressed bytes can hold`);
  }
  const output = new Uint8Array(length);
  let written = 0;
  let position = start;
  while (position < input.length) {
    const tag = input[position]!;
    position += 1;
    const kind = tag & 3;
    if (kind === 0) {
      let literalLength = tag >>> 2;
      if (literalLength >= 60) {
        const extra = literalLength - 59;
        literalLength = littleEndian(input, position, extra);
        position += extra;
      }
      literalLength += 1;
      if (position + literalLength > input.length) throw new AvroError('Truncated snappy literal');
      if (written + literalLength > length) throw new AvroError('Snappy literal overruns the declared length');
      output.set(input.subarray(position, position + literalLength), written);
      position += literalLength;
      written += literalLength;
      continue;
    }
    let copyLength: number;
    let offset: number;
    if (kind === 1) {
      copyLength = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) + littleEndian(input, position, 1);
      position += 1;
    } else {
      const offsetBytes = kind === 2 ? 2 : 4;
      copyLength = 1 + (tag >>> 2);
      offset = littleEndian(input, position, offsetBytes);
      position += offsetBytes;
    }
    if (offset === 0 || offset > written) throw new AvroError(`Snappy copy offset ${offset} is outside the ${written} bytes written`);
    if (written + copyLength > length) throw new AvroError('Snappy copy overruns the declared length');
    // Byte by byte, because a copy may overlap its own output (offset < length repeats a pattern).
    for (let index = 0; index < copyLength; index += 1) {
      output[written] = output[written - offset]!;
      written += 1;
    }
  }
  if (written !== length) throw new AvroError(`Snappy block decoded to ${written} bytes, declared ${length}`);
  return output;
}
