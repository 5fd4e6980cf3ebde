import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BadRequestError } from '../../errors.js';
import { parseJson, type JsonValue } from '../../json/lossless-json.js';
import { MAX_SCAN_FIELD_NAMES, parsePlanTableScanRequest } from './plan-table-scan-request.js';

/** A request body as the HTTP layer hands it over: parsed from text, so longs stay exact. */
const aRequest = (text: string): JsonValue => parseJson(text);

const rejects = (body: JsonValue | undefined, messagePart: string): void => {
  assert.throws(
    () => parsePlanTableScanRequest(body),
    (error: unknown) => error instanceof BadRequestError && error.status === 400 && error.message.includes(messagePart),
    messagePart,
  );
};

test('an empty request plans main at its head: every field absent', () => {
  const scan = parsePlanTableScanRequest(aRequest('{}'));
  assert.deepEqual(Object.values(scan).filter((v) => v !== undefined), []);
});

test('reads every field of the spec, snapshot ids beyond 2^53 exactly', () => {
  const scan = parsePlanTableScanRequest(
    aRequest('{"snapshot-id": 9007199254740993, "select": ["id"], "filter": true, "case-sensitive": false, "use-snapshot-schema": true, "stats-fields": ["id"], "min-rows-requested": 10}'),
  );
  assert.equal(scan.snapshotId, 9007199254740993n);
  assert.deepEqual(scan.select, ['id']);
  assert.deepEqual(scan.filter, { type: 'true' });
  assert.equal(scan.caseSensitive, false);
  assert.equal(scan.useSnapshotSchema, true);
  assert.deepEqual(scan.statsFields, ['id']);
  assert.equal(scan.minRowsRequested, 10n);
  const incremental = parsePlanTableScanRequest(aRequest('{"start-snapshot-id": 1, "end-snapshot-id": 2}'));
  assert.deepEqual([incremental.startSnapshotId, incremental.endSnapshotId], [1n, 2n]);
});

test('null counts as absent, as Java parsers treat it', () => {
  assert.equal(parsePlanTableScanRequest(aRequest('{"filter": null, "snapshot-id": null}')).filter, undefined);
});

test('refuses a body that is not an object', () => {
  rejects(undefined, 'Missing request body');
  rejects(aRequest('[]'), 'expected a JSON object');
});

test('refuses unknown members, naming them', () => {
  rejects(aRequest('{"snapshot": 1}'), "unknown field 'snapshot'");
  rejects(aRequest('{"a": 1, "b": 2}'), "unknown fields 'a', 'b'");
});

test('refuses a point-in-time snapshot combined with an incremental range, and a start without an end', () => {
  rejects(aRequest('{"snapshot-id": 1, "start-snapshot-id": 2, "end-snapshot-id": 3}'), 'cannot be combined');
  rejects(aRequest('{"start-snapshot-id": 2}'), 'end-snapshot-id: required');
});

test('refuses wrongly typed fields, naming the path', () => {
  rejects(aRequest('{"snapshot-id": 1.5}'), 'snapshot-id: expected a 64-bit integer');
  rejects(aRequest('{"end-snapshot-id": 9223372036854775808}'), 'end-snapshot-id: expected a 64-bit integer');
  rejects(aRequest('{"select": "id"}'), 'select: expected an array');
  rejects(aRequest('{"stats-fields": ["id", ""]}'), 'stats-fields[1]: must not be empty');
  rejects(aRequest('{"case-sensitive": "true"}'), 'case-sensitive: expected a boolean');
  rejects(aRequest('{"use-snapshot-schema": 0}'), 'use-snapshot-schema: expected a boolean');
  rejects(aRequest('{"min-rows-requested": -1}'), 'min-rows-requested: must not be negative');
});

test('bounds the field lists', () => {
  const names = JSON.stringify(Array.from({ length: MAX_SCAN_FIELD_NAMES + 1 }, (_, i) => `c${i}`));
  rejects(aRequest(`{"select": ${names}}`), `select: more than ${MAX_SCAN_FIELD_NAMES}`);
});

test('a malformed filter is refused with the path of the mistake', () => {
  rejects(aRequest('{"filter": {"type": "not", "child": {"type": "is-null"}}}'), 'filter.child');
});
