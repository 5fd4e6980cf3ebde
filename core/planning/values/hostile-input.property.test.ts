/**
 * Invariants over generated hostile input (seeded, so a failure reproduces):
 * 1. decodeSingleValue never throws, and whatever it accepts is a well-formed Value that encodes
 *    and decodes back to itself.
 * 2. parseJsonSingleValue throws nothing but InvalidValueError, and whatever it accepts formats to
 *    JSON that parses back to the same value.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonValue } from '../../json/lossless-json.js';
import { InvalidValueError } from './invalid-value-error.js';
import { formatJsonSingleValue, parseJsonSingleValue } from './json-single-value.js';
import { decodeSingleValue, encodeSingleValue } from './single-value-binary.js';
import { valueProblem } from './value-check.js';
import { valueTypeOf } from './value-type.js';

const TYPES = [
  'boolean', 'int', 'long', 'float', 'double', 'date', 'time', 'timestamp', 'timestamptz', 'timestamp_ns',
  'timestamptz_ns', 'string', 'uuid', 'binary', 'fixed[3]', 'decimal(9, 2)', 'decimal(38, 0)',
];
const CASES_PER_TYPE = 1500;

/** mulberry32: a tiny deterministic generator. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

function randomBytes(random: () => number): Uint8Array {
  const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17];
  const length = lengths[Math.floor(random() * lengths.length)] ?? 0;
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

const TEXT_PIECES = [
  '2017-11-16', 'T', '22:31:08', '.123456', '789', '+00:00', 'Z', '-08:00', '-', '+', ':', '.', 'e', 'E+2', '0', '1', '9',
  '99', '-0001', '+10000', 'NaN', 'Infinity', 'f79c3e09', '677c', 'ABCDEF', 'zz', ' ', '\uD800', '😀', '24:00', '02-29', '',
];

/** Valid texts that edits turn into near misses (and sometimes into other valid values). */
const EXAMPLES = [
  '2017-11-16T22:31:08.123456+00:00', '2017-11-16T22:31:08.123456789', '1969-12-31T23:59:59Z', '2000-02-29', '23:59:59.999999',
  'f79c3e09-677c-4bbd-a479-3f349cb785e7', '-14.20', '1.420E+1', '000102ff',
];
const EDIT_CHARACTERS = '0123456789-:.+TZeE f';

function mutate(random: () => number, text: string): string {
  let result = text;
  const edits = Math.floor(random() * 3);
  for (let edit = 0; edit < edits; edit += 1) {
    const at = Math.floor(random() * (result.length + 1));
    const character = EDIT_CHARACTERS[Math.floor(random() * EDIT_CHARACTERS.length)] ?? '';
    const kind = random();
    if (kind < 0.4) result = result.slice(0, at) + character + result.slice(at + 1);
    else if (kind < 0.7) result = result.slice(0, at) + result.slice(at + 1);
    else result = result.slice(0, at) + character + result.slice(at);
  }
  return result;
}

function randomJson(random: () => number): JsonValue {
  const choice = random();
  if (choice < 0.3) return mutate(random, EXAMPLES[Math.floor(random() * EXAMPLES.length)] ?? '');
  if (choice < 0.5) {
    let text = '';
    const pieces = 1 + Math.floor(random() * 5);
    for (let index = 0; index < pieces; index += 1) text += TEXT_PIECES[Math.floor(random() * TEXT_PIECES.length)] ?? '';
    return text;
  }
  if (choice < 0.65) return Math.floor((random() - 0.5) * 2 ** (Math.floor(random() * 70)));
  if (choice < 0.75) return (random() - 0.5) * 10 ** Math.floor(random() * 80 - 40);
  if (choice < 0.85) return BigInt(Math.floor((random() - 0.5) * 2 ** 53)) * BigInt(Math.floor(random() * 2 ** 20));
  if (choice < 0.9) return random() < 0.5;
  if (choice < 0.95) return null;
  return [random()];
}

function jsonText(json: JsonValue): string {
  return JSON.stringify(json, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)) ?? 'undefined';
}

describe('hostile input', () => {
  for (const type of TYPES) {
    test(`decoding random bytes as ${type} never throws and keeps only round-tripping values`, () => {
      const random = generator(type.length * 7919);
      const valueType = valueTypeOf(type);
      assert.ok(valueType);
      for (let index = 0; index < CASES_PER_TYPE; index += 1) {
        const bytes = randomBytes(random);
        const result = decodeSingleValue(type, bytes);
        if (!result.ok) continue;
        assert.equal(valueProblem(valueType, result.value), undefined, `${type} from ${Buffer.from(bytes).toString('hex')}`);
        const again = decodeSingleValue(type, encodeSingleValue(type, result.value));
        assert.ok(again.ok);
        assert.deepEqual(again.value, result.value);
      }
    });

    test(`parsing random JSON as ${type} throws only InvalidValueError and keeps only round-tripping values`, () => {
      const random = generator(type.length * 104_729);
      for (let index = 0; index < CASES_PER_TYPE; index += 1) {
        const json = randomJson(random);
        let value;
        try {
          value = parseJsonSingleValue(type, json);
        } catch (error) {
          assert.ok(error instanceof InvalidValueError, `${type} from ${jsonText(json)}: ${String(error)}`);
          continue;
        }
        assert.deepEqual(parseJsonSingleValue(type, formatJsonSingleValue(type, value)), value, `${type} from ${jsonText(json)}`);
      }
    });
  }
});
