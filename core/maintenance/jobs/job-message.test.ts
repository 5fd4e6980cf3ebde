import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJob, encodeJob, MalformedJobError, MAX_JOB_MESSAGE_LENGTH } from './job-message.js';
import type { Job } from './job-queue.js';

const PURGE = { type: 'purge', kind: 'table', uuid: '9c12d441-03fe-4693-9a96-a0705ddf69c1', metadataLocation: 's3://bucket/wh/ns/t/metadata/00003-9f1e.metadata.json', requestedAtMs: 1_700_000_000_000 } as const satisfies Job;
const MAINTAIN = { type: 'maintain-table', warehouse: 'default', namespace: ['sales', 'eu'], table: 'orders', requestedAtMs: 1_700_000_000_000 } as const satisfies Job;

function assertMalformed(body: string): void {
  assert.throws(() => decodeJob(body), MalformedJobError, body.slice(0, 80));
}

test('a purge job survives the queue unchanged', () => {
  assert.deepEqual(decodeJob(encodeJob(PURGE)), PURGE);
  assert.deepEqual(decodeJob(JSON.stringify({ ...PURGE, extra: 'ignored' })), PURGE);
  assert.deepEqual(decodeJob(encodeJob({ ...PURGE, kind: 'view' })), { ...PURGE, kind: 'view' });
  const local = decodeJob(encodeJob({ ...PURGE, metadataLocation: 'file:///tmp/wh/t/metadata/v1.gz.metadata.json' }));
  assert.equal(local.type === 'purge' && local.metadataLocation, 'file:///tmp/wh/t/metadata/v1.gz.metadata.json');
});

test('a purge message queued before jobs had a type is still a purge job', () => {
  const { type: _type, ...legacy } = PURGE;
  assert.deepEqual(decodeJob(JSON.stringify(legacy)), PURGE);
});

test('a maintain-table job survives the queue unchanged, with or without its options', () => {
  assert.deepEqual(decodeJob(encodeJob(MAINTAIN)), MAINTAIN);
  const full: Job = { ...MAINTAIN, dryRun: true, orphanCursor: 'warehouse/sales/eu/orders/data/00042.parquet' };
  assert.deepEqual(decodeJob(encodeJob(full)), full);
  assert.deepEqual(decodeJob(encodeJob({ ...MAINTAIN, dryRun: false })), MAINTAIN, 'dryRun=false is the default and is not sent');
});

test('an unknown or missing type is malformed', () => {
  for (const type of ['compact', 'PURGE', '', 7, null, ['purge'], { purge: true }]) assertMalformed(JSON.stringify({ ...MAINTAIN, type }));
  const { type: _type, ...untyped } = MAINTAIN;
  assertMalformed(JSON.stringify(untyped));
});

test('a message that is not a JSON object is malformed', () => {
  for (const body of ['', 'not json', '[]', 'null', '"text"', '42', 'true', '{"type":"purge"']) assertMalformed(body);
});

test('a purge field of the wrong type or shape is malformed', () => {
  for (const patch of [
    { uuid: undefined },
    { uuid: '' },
    { uuid: 7 },
    { kind: undefined },
    { kind: 'namespace' },
    { metadataLocation: undefined },
    { metadataLocation: ['s3://b/k'] },
    { metadataLocation: '/no/scheme.metadata.json' },
    { metadataLocation: 's3://bucket/has space.metadata.json' },
    { requestedAtMs: '1700000000000' },
    { requestedAtMs: -1 },
    { requestedAtMs: 1.5 },
    { requestedAtMs: 2 ** 60 },
  ]) {
    assertMalformed(JSON.stringify({ ...PURGE, ...patch }));
  }
});

test('a maintain-table field of the wrong type or shape is malformed', () => {
  for (const patch of [
    { warehouse: undefined },
    { warehouse: '' },
    { warehouse: 1 },
    { namespace: undefined },
    { namespace: [] },
    { namespace: 'sales' },
    { namespace: ['sales', 3] },
    { namespace: ['sales', ''] },
    { namespace: [['nested']] },
    { table: undefined },
    { table: '' },
    { table: { name: 'orders' } },
    { requestedAtMs: undefined },
    { requestedAtMs: Number.NaN },
    { dryRun: 'false' },
    { dryRun: 0 },
    { orphanCursor: '' },
    { orphanCursor: 42 },
  ]) {
    assertMalformed(JSON.stringify({ ...MAINTAIN, ...patch }));
  }
});

test('huge strings and arrays are malformed, and the body is bounded before it is parsed', () => {
  assertMalformed(JSON.stringify({ ...PURGE, metadataLocation: `s3://bucket/${'x'.repeat(5000)}` }));
  assertMalformed(JSON.stringify({ ...PURGE, uuid: 'u'.repeat(257) }));
  assertMalformed(JSON.stringify({ ...MAINTAIN, warehouse: 'w'.repeat(256) }));
  assertMalformed(JSON.stringify({ ...MAINTAIN, table: 't'.repeat(256) }));
  assertMalformed(JSON.stringify({ ...MAINTAIN, namespace: Array.from({ length: 17 }, (_, i) => `n${i}`) }));
  assertMalformed(JSON.stringify({ ...MAINTAIN, orphanCursor: 'c'.repeat(4097) }));
  // Valid JSON, but longer than any job: refused without parsing (a hostile body of many MB costs nothing).
  assertMalformed(JSON.stringify({ ...MAINTAIN, padding: ' '.repeat(MAX_JOB_MESSAGE_LENGTH) }));
  assertMalformed(`[${'['.repeat(MAX_JOB_MESSAGE_LENGTH)}`);
});
