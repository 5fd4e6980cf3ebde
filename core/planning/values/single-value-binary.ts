/**
 * Iceberg's binary single-value serialisation (spec Appendix D), the form of the lower and upper
 * bounds in manifests. Those bytes come from any writer, so decoding never trusts a length: a wrong
 * one is an `{ ok: false }` result (planning then simply does not prune on that bound), never an
 * exception and never a value read from the wrong bytes.
 *
 * Type promotion does not rewrite old bounds, so some lengths are read as the type they were
 * written with (spec, "Schema Evolution", bounds inference): a 4-byte `long` bound was an `int`, a
 * 4-byte `double` a `float`, a 4-byte `timestamp`/`timestamp_ns` a `date` (its midnight).
 */
import { MIN_LONG, MAX_LONG } from '../../metadata/long.js';
import type { Value } from './value.js';
import { fitsDecimalPrecision, MICROS_PER_DAY, valueProblem } from './value-check.js';
import { toValueType, valueTypeToString, type TypeInput, type ValueType } from './value-type.js';
import { fromBigEndian, toMinimalBigEndian } from './twos-complement.js';
import { UUID_BYTES, uuidBytesFromText, uuidTextFromBytes } from './uuid-bytes.js';

export type DecodeResult = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly problem: string };

const NANOS_PER_DAY = MICROS_PER_DAY * 1000n;
/** decimal(38, S) needs 16 bytes; a longer bound cannot be a value of any decimal type. */
const MAX_DECIMAL_BYTES = 16;

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function wrongLength(type: ValueType, bytes: Uint8Array, expected: string): DecodeResult {
  return { ok: false, problem: `a ${valueTypeToString(type)} value is ${expected} bytes, got ${bytes.byteLength}` };
}

function ok(value: Value): DecodeResult {
  return { ok: true, value };
}

/** Decodes one value; `{ ok: false, problem }` for bytes that are not a value of `type`. */
export function decodeSingleValue(typeInput: TypeInput, bytes: Uint8Array): DecodeResult {
  const type = toValueType(typeInput);
  if (type === undefined) return { ok: false, problem: `type ${String(typeInput)} has no single-value form used by planning` };
  const length = bytes.byteLength;
  switch (type.kind) {
    case 'boolean':
      // Spec: 0x00 is false, any other byte true.
      return length === 1 ? ok(bytes[0] !== 0) : wrongLength(type, bytes, '1');
    case 'int':
    case 'date':
      return length === 4 ? ok(view(bytes).getInt32(0, true)) : wrongLength(type, bytes, '4');
    case 'long':
      if (length === 8) return ok(view(bytes).getBigInt64(0, true));
      return length === 4 ? ok(BigInt(view(bytes).getInt32(0, true))) : wrongLength(type, bytes, '8 (or 4, written as int)');
    case 'timestamp':
    case 'timestamp_ns': {
      if (length === 8) return ok(view(bytes).getBigInt64(0, true));
      if (length !== 4) return wrongLength(type, bytes, '8 (or 4, written as date)');
      const days = BigInt(view(bytes).getInt32(0, true));
      const value = days * (type.kind === 'timestamp' ? MICROS_PER_DAY : NANOS_PER_DAY);
      // Spec: a promoted date outside the new type's range is an error, not a wrapped value.
      return value >= MIN_LONG && value <= MAX_LONG ? ok(value) : { ok: false, problem: `date bound ${days} is outside the ${type.kind} range` };
    }
    case 'timestamptz':
    case 'timestamptz_ns':
      return length === 8 ? ok(view(bytes).getBigInt64(0, true)) : wrongLength(type, bytes, '8');
    case 'time': {
      if (length !== 8) return wrongLength(type, bytes, '8');
      const micros = view(bytes).getBigInt64(0, true);
      return micros >= 0n && micros < MICROS_PER_DAY ? ok(micros) : { ok: false, problem: `time ${micros} is not microseconds within a day` };
    }
    case 'float':
      return length === 4 ? ok(view(bytes).getFloat32(0, true)) : wrongLength(type, bytes, '4');
    case 'double':
      if (length === 8) return ok(view(bytes).getFloat64(0, true));
      return length === 4 ? ok(view(bytes).getFloat32(0, true)) : wrongLength(type, bytes, '8 (or 4, written as float)');
    case 'string':
      try {
        return ok(utf8Decoder.decode(bytes));
      } catch {
        return { ok: false, problem: 'a string value is not valid UTF-8' };
      }
    case 'uuid':
      return length === UUID_BYTES ? ok(uuidTextFromBytes(bytes)) : wrongLength(type, bytes, String(UUID_BYTES));
    case 'fixed':
      return length === type.length ? ok(bytes.slice()) : wrongLength(type, bytes, String(type.length));
    case 'binary':
      return ok(bytes.slice());
    case 'decimal': {
      if (length === 0 || length > MAX_DECIMAL_BYTES) return wrongLength(type, bytes, `1 to ${MAX_DECIMAL_BYTES}`);
      const unscaled = fromBigEndian(bytes);
      if (!fitsDecimalPrecision(unscaled, type.precision)) {
        return { ok: false, problem: `decimal value has more than ${type.precision} digits` };
      }
      return ok({ unscaled, scale: type.scale });
    }
  }
}

/**
 * Encodes one value in the canonical form (minimal decimal bytes, 8-byte longs). Throws a
 * TypeError for a value that is not of `type`: values reach here from this folder's own decoders
 * and transforms, so a mismatch is a bug, not bad input.
 */
export function encodeSingleValue(typeInput: TypeInput, value: Value): Uint8Array {
  const type = toValueType(typeInput);
  if (type === undefined) throw new TypeError(`type ${String(typeInput)} has no single-value serialisation`);
  const problem = valueProblem(type, value);
  if (problem !== undefined) throw new TypeError(`cannot encode a ${valueTypeToString(type)} value: ${problem}`);
  switch (type.kind) {
    case 'boolean':
      return Uint8Array.of(value === true ? 1 : 0);
    case 'int':
    case 'date': {
      const bytes = new Uint8Array(4);
      view(bytes).setInt32(0, value as number, true);
      return bytes;
    }
    case 'long':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
    case 'timestamp_ns':
    case 'timestamptz_ns': {
      const bytes = new Uint8Array(8);
      view(bytes).setBigInt64(0, value as bigint, true);
      return bytes;
    }
    case 'float': {
      const bytes = new Uint8Array(4);
      view(bytes).setFloat32(0, value as number, true);
      return bytes;
    }
    case 'double': {
      const bytes = new Uint8Array(8);
      view(bytes).setFloat64(0, value as number, true);
      return bytes;
    }
    case 'string':
      return utf8Encoder.encode(value as string);
    case 'uuid': {
      const bytes = uuidBytesFromText(value as string);
      if (bytes === undefined) throw new TypeError('cannot encode a uuid value: not uuid text');
      return bytes;
    }
    case 'fixed':
    case 'binary':
      return (value as Uint8Array).slice();
    case 'decimal':
      return toMinimalBigEndian((value as { unscaled: bigint }).unscaled);
  }
}
