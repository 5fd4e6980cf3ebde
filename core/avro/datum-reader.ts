/**
 * Decodes one value by its writer schema into plain JavaScript:
 *
 * | Avro            | JavaScript                                              |
 * |-----------------|---------------------------------------------------------|
 * | null            | `null`                                                  |
 * | boolean         | `boolean`                                               |
 * | int/float/double| `number`                                                |
 * | long            | `bigint`, always                                        |
 * | bytes, fixed    | `Uint8Array` (a copy)                                   |
 * | string          | `string`                                                |
 * | enum            | the symbol, a `string`                                  |
 * | array           | `Array`                                                 |
 * | map             | `Map<string, value>` (keys are arbitrary strings)       |
 * | record          | an object keyed by field name                           |
 * | union           | the chosen branch's value, untagged                     |
 *
 * Field names come from the file, so they are defined as own properties: a field called
 * `__proto__` is just a field, it never swaps an object's prototype.
 */
import { AvroError } from './avro-error.js';
import type { BinaryDecoder } from './binary-decoder.js';
import { minEncodedSize } from './encoded-size.js';
import type { AvroSchema } from './schema.js';

export type AvroValue = null | boolean | number | bigint | string | Uint8Array | AvroValue[] | Map<string, AvroValue> | AvroRecord;
export interface AvroRecord {
  [field: string]: AvroValue;
}

/**
 * Items that may encode in zero bytes (nulls, empty records) are the one thing a byte budget cannot
 * bound, so they draw on a per-file allowance instead.
 */
export interface ReadBudget {
  zeroWidthItems: number;
}

export const DEFAULT_ZERO_WIDTH_ITEMS = 1_000_000;
/** Only recursive schemas nest deeper than a few levels; this turns a hostile chain into AvroError. */
const MAX_VALUE_DEPTH = 256;

export function newReadBudget(zeroWidthItems = DEFAULT_ZERO_WIDTH_ITEMS): ReadBudget {
  return { zeroWidthItems };
}

export function readDatum(schema: AvroSchema, decoder: BinaryDecoder, budget: ReadBudget = newReadBudget()): AvroValue {
  return read(schema, decoder, budget, 0);
}

/**
 * Checks a declared item count against what the remaining bytes could possibly hold, before any
 * array is grown, and charges zero-width items to the budget.
 */
export function claimItems(count: bigint, minSize: number, decoder: BinaryDecoder, budget: ReadBudget, what: string): number {
  if (minSize > 0) {
    if (count > BigInt(Math.floor(decoder.remaining / minSize))) {
      throw new AvroError(`Avro ${what} claims ${count} items but only ${decoder.remaining} bytes are left`);
    }
    return Number(count);
  }
  if (count > BigInt(budget.zeroWidthItems)) throw new AvroError(`Avro ${what} claims more zero-width items than allowed`);
  budget.zeroWidthItems -= Number(count);
  return Number(count);
}

/** Array and map blocks: a count, negated when followed by the block's byte size, 0 to end. */
function blockCount(decoder: BinaryDecoder): bigint {
  const count = decoder.readLong();
  if (count >= 0n) return count;
  decoder.readLength('block');
  return -count;
}

export function defineField<T>(target: Record<string, T>, key: string, value: T): void {
  // Plain assignment is only unsafe for the `__proto__` setter; defining every property would
  // push V8 objects into slow dictionary mode.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function read(schema: AvroSchema, decoder: BinaryDecoder, budget: ReadBudget, depth: number): AvroValue {
  if (depth > MAX_VALUE_DEPTH) throw new AvroError(`Avro value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  switch (schema.type) {
    case 'null':
      return null;
    case 'boolean':
      return decoder.readBoolean();
    case 'int':
      return decoder.readInt();
    case 'long':
      return decoder.readLong();
    case 'float':
      return decoder.readFloat();
    case 'double':
      return decoder.readDouble();
    case 'bytes':
      return decoder.readBytes();
    case 'string':
      return decoder.readString();
    case 'fixed':
      return decoder.readFixed(schema.size);
    case 'enum': {
      const index = decoder.readInt();
      const symbol = schema.symbols[index];
      if (symbol === undefined) throw new AvroError(`Avro enum "${schema.name}" has no symbol at index ${index}`);
      return symbol;
    }
    case 'union': {
      const index = decoder.readInt();
      const branch = schema.branches[index];
      if (branch === undefined) throw new AvroError(`Avro union has no branch ${index}`);
      return read(branch, decoder, budget, depth + 1);
    }
    case 'record': {
      const record: AvroRecord = {};
      for (const field of schema.fields) defineField(record, field.name, read(field.type, decoder, budget, depth + 1));
      return record;
    }
    case 'array': {
      const items: AvroValue[] = [];
      for (let count = blockCount(decoder); count !== 0n; count = blockCount(decoder)) {
        const claimed = claimItems(count, minEncodedSize(schema.items), decoder, budget, 'array block');
        for (let index = 0; index < claimed; index += 1) items.push(read(schema.items, decoder, budget, depth + 1));
      }
      return items;
    }
    case 'map': {
      const entries = new Map<string, AvroValue>();
      for (let count = blockCount(decoder); count !== 0n; count = blockCount(decoder)) {
        // Every entry holds at least its key's length byte, so map entries are never zero-width.
        const claimed = claimItems(count, 1 + minEncodedSize(schema.values), decoder, budget, 'map block');
        for (let index = 0; index < claimed; index += 1) {
          const key = decoder.readString();
          entries.set(key, read(schema.values, decoder, budget, depth + 1));
        }
      }
      return entries;
    }
  }
}
