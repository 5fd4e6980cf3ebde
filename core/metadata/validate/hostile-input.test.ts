import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError, CatalogError } from '../../errors.js';
import { commit } from '../commit.js';
import { parseTableMetadata, serializeTableMetadata } from '../serialize.js';
import { aContext, aTableWithSnapshots, seededRandom } from '../test-fixtures.js';
import { validateCreateTableRequest } from './create-table-request.js';
import { validateTableRequirements } from './table-requirement.js';
import { validateTableUpdates } from './table-update.js';

const random = seededRandom;

const KEYS = [
  'action', 'type', 'schema', 'fields', 'id', 'name', 'required', 'snapshot', 'snapshot-id', 'updates', 'spec', 'sort-order',
  'element', 'key', 'value', 'element-id', 'transform', 'source-id', 'ref', 'ref-name', 'summary', 'operation', '__proto__',
  'format-version', 'table-uuid', 'location', 'schemas', 'current-schema-id', 'partition-specs', 'refs', 'snapshots',
];
const STRINGS = ['add-schema', 'add-snapshot', 'set-snapshot-ref', 'assert-create', 'assert-ref-snapshot-id', 'struct', 'list', 'map', 'long', 'bucket[3]', 'main', 'branch', ''];

function anyValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 4 ? 6 : 9));
  switch (pick) {
    case 0: return null;
    case 1: return next() < 0.5;
    case 2: return [0, -1, 1.5, 2 ** 53, -(2 ** 63), Number.NaN, 1e308][Math.floor(next() * 7)];
    case 3: return [2n ** 63n, -(2n ** 63n) - 1n, 5n][Math.floor(next() * 3)];
    case 4: return STRINGS[Math.floor(next() * STRINGS.length)];
    case 5: return Math.floor(next() * 2000) - 1000;
    case 6: return Array.from({ length: Math.floor(next() * 4) }, () => anyValue(next, depth + 1));
    default: {
      const entries = Array.from({ length: Math.floor(next() * 6) }, () => [KEYS[Math.floor(next() * KEYS.length)] ?? 'x', anyValue(next, depth + 1)] as const);
      return Object.fromEntries(entries);
    }
  }
}

test('random hostile JSON only ever produces a BadRequestError or a value', () => {
  const next = random(20240601);
  const validators: Array<(value: unknown) => unknown> = [
    (value) => validateTableUpdates([value]),
    (value) => validateTableRequirements([value]),
    validateCreateTableRequest,
    parseTableMetadata,
  ];
  for (let round = 0; round < 4000; round += 1) {
    const value = anyValue(next, 0);
    for (const validate of validators) {
      try {
        validate(value);
      } catch (error) {
        assert.ok(error instanceof BadRequestError, `round ${round}: ${String(error)} for ${String(value)}`);
      }
    }
  }
});

test('null, arrays and primitives where objects are expected are 400s', () => {
  for (const value of [null, [], 'x', 7, true, undefined]) {
    assert.throws(() => validateTableUpdates([value]), BadRequestError);
    assert.throws(() => validateTableRequirements([value]), BadRequestError);
    assert.throws(() => validateCreateTableRequest(value), BadRequestError);
    assert.throws(() => parseTableMetadata(value), BadRequestError);
  }
});

/** Replaces one randomly chosen nested value of a valid document with a hostile one. */
function mutate(document: unknown, next: () => number): unknown {
  if (typeof document !== 'object' || document === null) return anyValue(next, 3);
  if (next() < 0.25) return anyValue(next, 3);
  if (Array.isArray(document)) {
    if (document.length === 0) return [anyValue(next, 3)];
    const index = Math.floor(next() * document.length);
    return document.map((item, position) => (position === index ? mutate(item, next) : item));
  }
  const keys = Object.keys(document);
  const key = next() < 0.1 || keys.length === 0 ? (KEYS[Math.floor(next() * KEYS.length)] ?? 'x') : (keys[Math.floor(next() * keys.length)] ?? 'x');
  const record = document as Record<string, unknown>;
  return { ...record, [key]: next() < 0.1 ? undefined : mutate(record[key], next) };
}

const validUpdates = [
  { action: 'add-schema', schema: { type: 'struct', fields: [{ id: 1, name: 'id', required: true, type: 'long' }, { id: 2, name: 'data', required: false, type: 'string' }, { id: 3, name: 'l', required: false, type: { type: 'list', 'element-id': 4, element: 'int', 'element-required': true } }] } },
  { action: 'set-current-schema', 'schema-id': -1 },
  { action: 'add-spec', spec: { fields: [{ 'source-id': 1, name: 'id_b', transform: 'bucket[4]' }] } },
  { action: 'set-default-spec', 'spec-id': -1 },
  { action: 'add-sort-order', 'sort-order': { fields: [{ 'source-id': 2, transform: 'identity', direction: 'asc', 'null-order': 'nulls-first' }] } },
  { action: 'set-default-sort-order', 'sort-order-id': -1 },
  { action: 'add-snapshot', snapshot: { 'snapshot-id': 9, 'parent-snapshot-id': 2, 'sequence-number': 3, 'timestamp-ms': 1700000000009, 'manifest-list': 'm', summary: { operation: 'append' } } },
  { action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': 9 },
  { action: 'remove-snapshots', 'snapshot-ids': [1] },
  { action: 'set-properties', updates: { 'write.metadata.previous-versions-max': '1' } },
  { action: 'remove-schemas', 'schema-ids': [0] },
];

test('mutated valid commits fail only with catalog errors, never a TypeError or RangeError', () => {
  const next = random(777);
  const base = aTableWithSnapshots(2);
  const baseJson = serializeTableMetadata(base);
  for (let round = 0; round < 1500; round += 1) {
    const documents = [mutate(validUpdates, next), mutate(baseJson, next)];
    try {
      const updates = validateTableUpdates(documents[0]);
      commit(base, [], updates, aContext({ previousMetadataLocation: 's3://b/t/metadata/00002-x.metadata.json' }));
    } catch (error) {
      assert.ok(error instanceof CatalogError, `round ${round}: ${String(error)}`);
    }
    try {
      const parsed = parseTableMetadata(documents[1]);
      commit(parsed, [], validateTableUpdates(validUpdates), aContext());
    } catch (error) {
      assert.ok(error instanceof CatalogError, `round ${round}: ${String(error)}`);
    }
  }
});
