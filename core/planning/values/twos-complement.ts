/**
 * Big-endian two's-complement bytes of an arbitrary integer, as Java's BigInteger.toByteArray
 * writes them: the decimal single-value serialisation and the decimal bucket hash both use the
 * minimum number of bytes, sign bit included (0 is one byte 0x00, 128 is 0x00 0x80).
 */

export function toMinimalBigEndian(value: bigint): Uint8Array {
  const littleEndian: number[] = [];
  let rest = value;
  for (;;) {
    const byte = Number(BigInt.asUintN(8, rest));
    littleEndian.push(byte);
    rest >>= 8n; // arithmetic shift: a negative value tends to -1
    const signBitSet = (byte & 0x80) !== 0;
    if ((rest === 0n && !signBitSet) || (rest === -1n && signBitSet)) break;
  }
  return Uint8Array.from(littleEndian.reverse());
}

/** Reads any length, padded or not; an empty array reads as 0. */
export function fromBigEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const first = bytes[0];
  if (first !== undefined && (first & 0x80) !== 0) value -= 1n << BigInt(8 * bytes.byteLength);
  return value;
}
