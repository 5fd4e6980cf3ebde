/**
 * Writes Avro's `snappy` codec for test fixtures. The catalog only reads snappy, so the writer
 * lives here and not in core/: a valid snappy block made only of literals (any reader accepts
 * it; the compression ratio does not matter), followed by the big-endian CRC-32 Avro requires.
 */
import { crc32 } from 'node:zlib';
import type { BlockCompressor } from '../../core/avro/codecs.js';

const MAX_LITERAL_CHUNK = 65536;

export function snappyCompressLiterals(input: Uint8Array): Uint8Array {
  const parts: number[] = [];
  let length = input.length;
  do {
    parts.push((length & 0x7f) | (length > 0x7f ? 0x80 : 0));
    length = Math.floor(length / 128);
  } while (length > 0);
  const chunks: Uint8Array[] = [Uint8Array.from(parts)];
  for (let offset = 0; offset < input.length; offset += MAX_LITERAL_CHUNK) {
    const chunk = input.subarray(offset, offset + MAX_LITERAL_CHUNK);
    const encoded = chunk.length - 1;
    const tag = encoded < 60 ? [encoded << 2] : encoded <= 0xff ? [60 << 2, encoded] : [61 << 2, encoded & 0xff, encoded >>> 8];
    chunks.push(Uint8Array.from(tag), chunk);
  }
  return Buffer.concat(chunks);
}

/** Pass as `codec` to writeContainer / writeManifest / writeManifestList for a snappy file. */
export const SNAPPY: BlockCompressor = {
  name: 'snappy',
  compress(data) {
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(data), 0);
    return Buffer.concat([snappyCompressLiterals(data), checksum]);
  },
};
