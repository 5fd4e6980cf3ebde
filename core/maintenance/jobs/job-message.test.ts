import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePurgeJob, encodePurgeJob, MalformedPurgeJobError } from './job-message.js';

const JOB = { kind: 'table' as const, uuid: '9c12d441-03fe-4693-9a96-a0705ddf69c1', metadataLocation: 's3://bucket/wh/ns/t/metadata/00003-9f1e.metadata.json', requestedAtMs: 1_700_000_000_000 };

test('a purge job survives the queue unchanged', () => {
  assert.deepEqual(decodePurgeJob(encodePurgeJob(JOB)), JOB);
  assert.deepEqual(decodePurgeJob(JSON.stringify({ ...JOB, extra: 'ignored' })), JOB);
  assert.deepEqual(decodePurgeJob(encodePurgeJob({ ...JOB, kind: 'view' })), { ...JOB, kind: 'view' });
  assert.deepEqual(decodePurgeJob(encodePurgeJob({ ...JOB, metadataLocation: 'file:///tmp/wh/t/metadata/v1.gz.metadata.json' })).metadataLocation, 'file:///tmp/wh/t/metadata/v1.gz.metadata.json');
});

test('anything else is malformed, which no retry can fix', () => {
  const bodies = [
    '',
    'not json',
    '[]',
    'null',
    '"text"',
    JSON.stringify({ ...JOB, uuid: undefined }),
    JSON.stringify({ ...JOB, uuid: '' }),
    JSON.stringify({ ...JOB, uuid: 7 }),
    JSON.stringify({ ...JOB, kind: undefined }),
    JSON.stringify({ ...JOB, kind: 'namespace' }),
    JSON.stringify({ ...JOB, metadataLocation: undefined }),
    JSON.stringify({ ...JOB, metadataLocation: '/no/scheme.metadata.json' }),
    JSON.stringify({ ...JOB, metadataLocation: 's3://bucket/has space.metadata.json' }),
    JSON.stringify({ ...JOB, metadataLocation: `s3://bucket/${'x'.repeat(5000)}` }),
    JSON.stringify({ ...JOB, requestedAtMs: '1700000000000' }),
    JSON.stringify({ ...JOB, requestedAtMs: -1 }),
    JSON.stringify({ ...JOB, requestedAtMs: 1.5 }),
  ];
  for (const body of bodies) assert.throws(() => decodePurgeJob(body), MalformedPurgeJobError, body.slice(0, 80));
});
