/**
 * A uuid Value is its lowercase 8-4-4-4-12 text (value.ts); its bytes are the 16 big-endian bytes
 * of that text read as hex (spec Appendix B, note 4: f79c3e09-... is F7 9C 3E 09 ...).
 */
import { bytesFromHex, bytesToHex } from './hex.js';

export const UUID_BYTES = 16;
const UUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Parses uuid text in either case; undefined unless it is exactly 8-4-4-4-12 hex digits. */
export function uuidBytesFromText(text: string): Uint8Array | undefined {
  if (!UUID_TEXT.test(text)) return undefined;
  return bytesFromHex(text.replaceAll('-', ''));
}

/** Expects exactly 16 bytes (callers check the length first). */
export function uuidTextFromBytes(bytes: Uint8Array): string {
  const hex = bytesToHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
