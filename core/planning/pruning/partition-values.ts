/**
 * A data file's partition tuple as `Value`s. `core/avro` decodes the `partition` record by its
 * writer schema only (datum-reader.ts): ints are numbers, longs bigints, decimals and uuids raw
 * bytes. This reads each value by its partition field's result type, and accepts the forms older
 * writers used: an int where the type is now a long (promotion), a uuid written as text.
 *
 * Anything else is `unknown`: the file's contents are hostile or from a writer this does not
 * understand, and the callers then treat every predicate on that field as "might match".
 */
import type { AvroRecord, AvroValue } from '../../avro/datum-reader.js';
import { valueProblem, type Value, type ValueType } from '../values/index.js';
import { fromBigEndian } from '../values/twos-complement.js';
import { UUID_BYTES, uuidBytesFromText, uuidTextFromBytes } from '../values/uuid-bytes.js';
import type { PartitionFieldInfo } from './partition-fields.js';

export type PartitionValue = { readonly known: true; readonly value: Value | null } | { readonly known: false };

const UNKNOWN: PartitionValue = { known: false };

/** A spec-sized decimal is at most 16 bytes; more cannot be a decimal(38, S) of any writer. */
const MAX_DECIMAL_BYTES = 16;

function candidate(raw: AvroValue, type: ValueType): Value | undefined {
  switch (type.kind) {
    case 'long':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
    case 'timestamp_ns':
    case 'timestamptz_ns':
      if (typeof raw === 'bigint') return raw;
      // A partition written as int before the column was promoted to long.
      return type.kind === 'long' && typeof raw === 'number' && Number.isInteger(raw) ? BigInt(raw) : undefined;
    case 'decimal':
      return raw instanceof Uint8Array && raw.byteLength > 0 && raw.byteLength <= MAX_DECIMAL_BYTES
        ? { unscaled: fromBigEndian(raw), scale: type.scale }
        : undefined;
    case 'uuid':
      if (raw instanceof Uint8Array) return raw.byteLength === UUID_BYTES ? uuidTextFromBytes(raw) : undefined;
      return typeof raw === 'string' && uuidBytesFromText(raw) !== undefined ? raw.toLowerCase() : undefined;
    case 'boolean':
    case 'int':
    case 'date':
    case 'float':
    case 'double':
    case 'string':
      return typeof raw === 'boolean' || typeof raw === 'number' || typeof raw === 'string' ? raw : undefined;
    case 'fixed':
    case 'binary':
      return raw instanceof Uint8Array ? raw : undefined;
  }
}

/** Converts one decoded Avro value to a Value of `type`; `null` stays null. */
export function partitionValueOf(raw: AvroValue | undefined, type: ValueType | undefined): PartitionValue {
  if (raw === undefined || type === undefined) return UNKNOWN;
  if (raw === null) return { known: true, value: null };
  const value = candidate(raw, type);
  if (value === undefined || valueProblem(type, value) !== undefined) return UNKNOWN;
  return { known: true, value };
}

/** The tuple keyed by partition field id. A field missing from the record is unknown, not null. */
export function readPartitionTuple(fields: readonly PartitionFieldInfo[], partition: AvroRecord): ReadonlyMap<number, PartitionValue> {
  const tuple = new Map<number, PartitionValue>();
  for (const field of fields) {
    const raw = Object.hasOwn(partition, field.name) ? partition[field.name] : undefined;
    tuple.set(field.fieldId, partitionValueOf(raw, field.resultType));
  }
  return tuple;
}
