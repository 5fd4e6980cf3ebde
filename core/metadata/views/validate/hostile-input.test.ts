import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../../errors.js';
import { seededRandom } from '../../test-fixtures.js';
import { commitView } from '../commit-view.js';
import { serializeViewMetadata } from '../serialize.js';
import { aView, NOW } from '../test-fixtures.js';
import { parseViewMetadata } from './view-metadata.js';
import { validateCommitViewRequest, validateCreateViewRequest, validateRegisterViewRequest } from './view-requests.js';

const KEYS = [
  'action', 'type', 'uuid', 'schema', 'fields', 'id', 'name', 'required', 'view-version', 'version-id', 'schema-id', 'timestamp-ms',
  'summary', 'representations', 'sql', 'dialect', 'default-namespace', 'default-catalog', 'view-version-id', 'updates', 'requirements',
  'removals', 'location', 'properties', '__proto__', 'view-uuid', 'format-version', 'current-version-id', 'versions', 'version-log', 'schemas',
];
const STRINGS = ['add-view-version', 'set-current-view-version', 'add-schema', 'assert-view-uuid', 'sql', 'SQL', 'struct', 'int', 'spark', ''];

function anyValue(next: () => number, depth: number): unknown {
  switch (Math.floor(next() * (depth > 4 ? 6 : 9))) {
    case 0: return null;
    case 1: return next() < 0.5;
    case 2: return [0, -1, 1.5, 2 ** 53, Number.NaN, 1e308][Math.floor(next() * 6)];
    case 3: return [2n ** 63n, -(2n ** 63n) - 1n, 5n][Math.floor(next() * 3)];
    case 4: return STRINGS[Math.floor(next() * STRINGS.length)];
    case 5: return Math.floor(next() * 20) - 5;
    case 6: return Array.from({ length: Math.floor(next() * 4) }, () => anyValue(next, depth + 1));
    default: {
      const entries = Array.from({ length: Math.floor(next() * 7) }, () => [KEYS[Math.floor(next() * KEYS.length)] ?? 'x', anyValue(next, depth + 1)] as const);
      return Object.fromEntries(entries);
    }
  }
}

test('random hostile JSON only ever produces a BadRequestError or a value', () => {
  const next = seededRandom(20240917);
  const base = aView();
  const validators: Array<(value: unknown) => unknown> = [
    (value) => validateCreateViewRequest(value),
    (value) => validateRegisterViewRequest(value),
    (value) => parseViewMetadata(value),
    (value) => {
      const request = validateCommitViewRequest({ updates: [value], requirements: [] });
      return commitView(base, request.requirements, request.updates, { now: NOW });
    },
    (value) => parseViewMetadata({ ...serializeViewMetadata(base), versions: [value] }),
  ];
  for (let round = 0; round < 3000; round += 1) {
    const value = anyValue(next, 0);
    for (const validate of validators) {
      try {
        validate(value);
      } catch (error) {
        assert.ok(error instanceof BadRequestError, `round ${round}: ${String(error)} for ${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
      }
    }
  }
});
