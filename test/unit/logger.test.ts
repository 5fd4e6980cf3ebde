import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogLine } from '../../functions/lib/logger.js';

const NOW = new Date('2026-12-07T00:00:00.000Z');

test('fields cannot override level, message or timestamp', () => {
  const line = JSON.parse(formatLogLine('error', 'request', { level: 'debug', message: 'forged', timestamp: 'x', status: 500 }, NOW)) as Record<string, unknown>;
  assert.deepEqual(line, { level: 'error', message: 'request', timestamp: NOW.toISOString(), status: 500 });
});

test('a bigint field is written as its decimal text instead of throwing', () => {
  const line = JSON.parse(formatLogLine('info', 'commit', { snapshotId: 9_223_372_036_854_775_807n, nested: { id: 1n } }, NOW)) as Record<string, unknown>;
  assert.equal(line['snapshotId'], '9223372036854775807');
  assert.deepEqual(line['nested'], { id: '1' });
});

test('an unserializable field keeps the entry', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  const line = JSON.parse(formatLogLine('warn', 'odd', { cyclic }, NOW)) as Record<string, unknown>;
  assert.equal(line['message'], 'odd');
  assert.match(String(line['logError']), /not serializable/);
});
