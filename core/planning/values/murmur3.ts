/**
 * 32-bit Murmur3, x86 variant, seed 0: the hash of Iceberg's bucket transform (spec Appendix B;
 * Guava's murmur3_32_fixed in Java). Math.imul and `| 0` keep every step in signed 32-bit
 * arithmetic, as the reference C code's uint32 wrap-around, read as a signed int like Java's.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

function mixKey(key: number): number {
  return Math.imul(rotateLeft(Math.imul(key, C1), 15), C2);
}

/** Returns the hash as a signed 32-bit integer, as Java's HashCode.asInt() does. */
export function murmur3Hash32(bytes: Uint8Array, seed = 0): number {
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.byteLength;
  const blockEnd = length - (length % 4);
  let hash = seed | 0;
  for (let offset = 0; offset < blockEnd; offset += 4) {
    hash ^= mixKey(data.getInt32(offset, true));
    hash = (Math.imul(rotateLeft(hash, 13), 5) + 0xe6546b64) | 0;
  }
  const tailLength = length - blockEnd;
  if (tailLength > 0) {
    let key = 0;
    for (let index = tailLength - 1; index >= 0; index -= 1) key = (key << 8) | (bytes[blockEnd + index] ?? 0);
    hash ^= mixKey(key);
  }
  hash ^= length;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash | 0;
}
