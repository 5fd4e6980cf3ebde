import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stringifyJson } from '../json/lossless-json.js';
import { commit } from '../metadata/commit.js';
import { serializeTableMetadata } from '../metadata/serialize.js';
import { aTable, NOW, TABLE_LOCATION } from '../metadata/test-fixtures.js';
import type { Snapshot, TableMetadata } from '../metadata/types.js';
import { planSnapshotExpiration } from './expire-snapshots.js';
import { expiryUpdates } from './expire-table-snapshots.js';
import { maintenancePolicy } from './maintenance-policy.js';

/**
 * Issue 12, "tables only grow": a table of 100,000 fast appends, expired with the policy its
 * properties give, must come out as small as a table of 100 snapshots (within 1.2×), and making
 * the plan must cost work linear in the snapshots (counted, never timed).
 *
 * Metadata is built directly (as 100,000 commits would leave it: snapshots, snapshot log, a full
 * metadata log), then expired through the engine exactly as the commit path applies it.
 */
const MINUTE = 60_000;

/** `count` fast appends on main, one every `everyMs`, the last one at `end`. */
function aStreamedTable(count: number, everyMs: number, end: number, properties: Record<string, string> = {}): TableMetadata {
  const table = aTable({ properties });
  const first = end - (count - 1) * everyMs;
  const snapshots: Snapshot[] = [];
  for (let index = 1; index <= count; index++) {
    const id = BigInt(index) * 7_919n + 1_000_000_007n;
    snapshots.push({
      snapshotId: id,
      ...(index > 1 ? { parentSnapshotId: snapshots[index - 2]!.snapshotId } : {}),
      sequenceNumber: BigInt(index),
      timestampMs: BigInt(first + (index - 1) * everyMs),
      manifestList: `${TABLE_LOCATION}/metadata/snap-${id}-1-0b9f5a3e-4c1d-4e8a-9f2b-${String(index).padStart(12, '0')}.avro`,
      summary: {
        operation: 'append',
        'added-data-files': '1',
        'added-records': '1000',
        'added-files-size': '40960',
        'changed-partition-count': '1',
        'total-records': String(index * 1000),
        'total-files-size': String(index * 40960),
        'total-data-files': String(index),
        'total-delete-files': '0',
        'total-position-deletes': '0',
        'total-equality-deletes': '0',
      },
      schemaId: 0,
    });
  }
  const last = snapshots[snapshots.length - 1]!;
  return {
    ...table,
    lastSequenceNumber: BigInt(count),
    lastUpdatedMs: last.timestampMs,
    snapshots,
    refs: { main: { snapshotId: last.snapshotId, type: 'branch' } },
    currentSnapshotId: last.snapshotId,
    snapshotLog: snapshots.map((s) => ({ timestampMs: s.timestampMs, snapshotId: s.snapshotId })),
    metadataLog: snapshots.slice(-100).map((s, index) => ({ timestampMs: s.timestampMs, metadataFile: `${TABLE_LOCATION}/metadata/${String(count - 100 + index).padStart(5, '0')}-3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b.metadata.json` })),
  };
}

/** The maintenance a scheduled run does: plan with the table's policy, apply as the commit path does. */
function expire(metadata: TableMetadata, now: number): { metadata: TableMetadata; work: number } {
  const { policy } = maintenancePolicy(metadata.properties, { enabled: true });
  const plan = planSnapshotExpiration(metadata, policy, BigInt(now));
  const updates = expiryUpdates(plan);
  if (updates.length === 0) return { metadata, work: plan.work };
  return { metadata: commit(metadata, [], updates, { now, newUuid: () => 'uuid', previousMetadataLocation: `${TABLE_LOCATION}/metadata/x.metadata.json` }).metadata, work: plan.work };
}

const size = (metadata: TableMetadata): number => Buffer.byteLength(stringifyJson(serializeTableMetadata(metadata)));

describe('flatness: 100,000 fast appends expire to the size of 100', () => {
  test('default policy (Iceberg: 5 days, keep 1): a table appended every 90 minutes', () => {
    const now = NOW + 1_000;
    const small = aStreamedTable(100, 90 * MINUTE, NOW);
    const huge = aStreamedTable(100_000, 90 * MINUTE, NOW);
    const expired = expire(huge, now);
    const ratio = size(expired.metadata) / size(expire(small, now).metadata);
    console.log(`default policy: ${huge.snapshots.length} → ${expired.metadata.snapshots.length} snapshots, ${size(huge)} → ${size(expired.metadata)} bytes; 100-snapshot table ${size(small)} bytes, after expiry ${size(expire(small, now).metadata)}; ratio ${ratio.toFixed(3)}`);
    assert.ok(ratio <= 1.2, `ratio ${ratio}`);
    assert.ok(size(expired.metadata) <= 1.2 * size(small), 'also against the 100-snapshot table as it is, unexpired');
  });

  test('a streaming table (1 commit/s) with history.expire.max-snapshot-age-ms=100000', () => {
    const now = NOW + 500;
    const properties = { 'history.expire.max-snapshot-age-ms': '100000' };
    const small = aStreamedTable(100, 1_000, NOW, properties);
    const huge = aStreamedTable(100_000, 1_000, NOW, properties);
    const expired = expire(huge, now);
    const ratio = size(expired.metadata) / size(small);
    console.log(`1/s, 100 s age: ${huge.snapshots.length} → ${expired.metadata.snapshots.length} snapshots, ${size(huge)} → ${size(expired.metadata)} bytes; 100-snapshot table ${size(small)} bytes; ratio ${ratio.toFixed(3)}`);
    assert.ok(ratio <= 1.2, `ratio ${ratio}`);
    assert.ok(expired.metadata.snapshotLog.length <= expired.metadata.snapshots.length, 'the snapshot log is cut with the snapshots');
    assert.equal(expired.metadata.currentSnapshotId, huge.currentSnapshotId);
  });

  test('planning is linear in the snapshots (work counted, not timed)', () => {
    const now = NOW + 1_000;
    const work = (count: number) => planSnapshotExpiration(aStreamedTable(count, MINUTE, NOW), maintenancePolicy({}, { enabled: true }).policy, BigInt(now)).work;
    const [w10k, w100k] = [work(10_000), work(100_000)];
    console.log(`plan work: 10,000 snapshots ${w10k}, 100,000 snapshots ${w100k} (${(w100k / w10k).toFixed(2)}×)`);
    assert.ok(w100k <= 10.5 * w10k, `${w100k} vs ${w10k}`);
    assert.ok(w100k <= 6 * 100_000, 'a few steps per snapshot');
  });

  test('with several branches and tags the work stays linear', () => {
    const now = NOW + 1_000;
    const withRefs = (count: number): TableMetadata => {
      const table = aStreamedTable(count, MINUTE, NOW);
      const refs = { ...table.refs };
      for (let n = 1; n <= 10; n++) {
        const at = table.snapshots[Math.floor((count * n) / 11)]!.snapshotId;
        refs[`b${n}`] = { snapshotId: at, type: 'branch' };
        refs[`t${n}`] = { snapshotId: at, type: 'tag' };
      }
      return { ...table, refs };
    };
    const policy = maintenancePolicy({}, { enabled: true }).policy;
    const w10k = planSnapshotExpiration(withRefs(10_000), policy, BigInt(now)).work;
    const w100k = planSnapshotExpiration(withRefs(100_000), policy, BigInt(now)).work;
    assert.ok(w100k <= 10.5 * w10k, `${w100k} vs ${w10k}`);
  });
});
