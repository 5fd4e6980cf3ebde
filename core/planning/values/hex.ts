/**
 * Hexadecimal text of bytes, as the JSON single-value serialisation writes fixed and binary values
 * and as uuid text spells its 16 bytes. Parsing accepts either case (Java's writer uses upper case,
 * the spec's examples lower case); formatting writes lower case, like the spec.
 */

const HEX_TEXT = /^(?:[0-9a-fA-F]{2})*$/;

/** Returns undefined unless `text` is an even number of hex digits. */
export function bytesFromHex(text: string): Uint8Array | undefined {
  if (!HEX_TEXT.test(text)) return undefined;
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
