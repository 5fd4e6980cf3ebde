/**
 * Property test: random valid commit sequences, with the invariants checked after every commit.
 * Each case is generated from a seed, so a failure names the seed that reproduces it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson, stringifyJson } from '../json/lossless-json.js';
import { applyUpdate } from './apply-update.js';
import { commit } from './commit.js';
import { startDraft, type Draft } from './draft.js';
import { previousVersionsMax } from './metadata-log.js';
import { metadataFileName } from './metadata-file-name.js';
import { parseTableMetadata, serializeTableMetadata } from './serialize.js';
import { aField, aSchema, aTable, NOW, seededRandom, TABLE_LOCATION } from './test-fixtures.js';
import type { StructField, TableMetadata, TableRequirement, TableUpdate } from './types.js';

const CASES = 300;
const COMMITS_PER_CASE = 12;

type Random = () => number;

function pick<T>(next: Random, items: readonly T[]): T | undefined {
  return items[Math.floor(next() * items.length)];
}

function chance(next: Random, probability: number): boolean {
  return next() < probability;
}

/** Ids of source columns the default spec and sort order need in any schema made current. */
function requiredSourceIds(metadata: TableMetadata): Set<number> {
  const spec = metadata.partitionSpecs.find((each) => each.specId === metadata.defaultSpecId);
  const order = metadata.sortOrders.find((each) => each.orderId === metadata.defaultSortOrderId);
  return new Set([...(spec?.fields ?? []), ...(order?.fields ?? [])].map((field) => field.sourceId));
}

function currentFields(metadata: TableMetadata): readonly StructField[] {
  return metadata.schemas.find((schema) => schema.schemaId === metadata.currentSchemaId)?.fields ?? [];
}

/** One update that is valid for the draft's current state, or undefined when none fits. */
function randomUpdate(next: Random, draft: Draft, clock: { now: number }): TableUpdate | undefined {
  const metadata = draft.metadata;
  const fields = currentFields(metadata);
  const primitive = fields.filter((field) => typeof field.type === 'string');
  const refNames = Object.keys(metadata.refs);
  switch (Math.floor(next() * 12)) {
    case 0: {
      const needed = requiredSourceIds(metadata);
      const droppable = fields.filter((field) => !needed.has(field.id) && field.id !== 1);
      const kept = chance(next, 0.3) && droppable.length > 0 ? fields.filter((field) => field !== pick(next, droppable)) : fields;
      const type = pick(next, ['int', 'long', 'string', 'date', 'timestamp'] as const) ?? 'int';
      return { action: 'add-schema', schema: aSchema({ fields: [...kept, aField(metadata.lastColumnId + 1, `c${metadata.lastColumnId + 1}`, type)] }) };
    }
    case 1: {
      if (draft.lastAddedSchemaId !== undefined && chance(next, 0.7)) return { action: 'set-current-schema', schemaId: -1 };
      const needed = requiredSourceIds(metadata);
      const candidates = metadata.schemas.filter((schema) => [...needed].every((id) => schema.fields.some((field) => field.id === id)));
      const schema = pick(next, candidates);
      return schema === undefined ? undefined : { action: 'set-current-schema', schemaId: schema.schemaId };
    }
    case 2: {
      const source = pick(next, primitive);
      if (source === undefined) return undefined;
      const transform = pick(next, ['identity', 'bucket[8]', 'void'] as const) ?? 'identity';
      return { action: 'add-spec', spec: { fields: [{ sourceId: source.id, name: `p_${source.id}_${transform.replace(/\W/g, '')}`, transform }] } };
    }
    case 3: {
      const bindable = metadata.partitionSpecs.filter((each) => each.fields.every((field) => field.transform === 'void' || fields.some((column) => column.id === field.sourceId)));
      if (draft.lastAddedSpecId !== undefined && bindable.some((each) => each.specId === draft.lastAddedSpecId)) return { action: 'set-default-spec', specId: -1 };
      const spec = pick(next, bindable);
      return spec === undefined ? undefined : { action: 'set-default-spec', specId: spec.specId };
    }
    case 4: {
      const source = pick(next, primitive);
      if (source === undefined) return undefined;
      const sortOrder = chance(next, 0.2)
        ? { fields: [] }
        : { fields: [{ sourceId: source.id, transform: 'identity', direction: chance(next, 0.5) ? 'asc' : 'desc', nullOrder: 'nulls-first' } as const] };
      return { action: 'add-sort-order', sortOrder };
    }
    case 5: {
      const added = metadata.sortOrders.find((order) => order.orderId === draft.lastAddedOrderId);
      const binds = added?.fields.every((field) => fields.some((column) => column.id === field.sourceId)) ?? false;
      return binds ? { action: 'set-default-sort-order', sortOrderId: -1 } : undefined;
    }
    case 6:
    case 7: {
      clock.now += 1 + Math.floor(next() * 5);
      const small = BigInt(Math.floor(next() * 2 ** 40));
      // Some ids sit at the edges of the signed 64-bit range, where doubles would round them.
      const snapshotId = chance(next, 0.1) ? 9223372036854775807n - small : chance(next, 0.1) ? -9223372036854775808n + small : chance(next, 0.2) ? -small : small;
      if (metadata.snapshots.some((snapshot) => snapshot.snapshotId === snapshotId)) return undefined;
      const lineage = metadata.formatVersion >= 3 ? { firstRowId: metadata.nextRowId, addedRows: BigInt(Math.floor(next() * 100)) } : {};
      return {
        action: 'add-snapshot',
        snapshot: {
          snapshotId,
          ...(metadata.currentSnapshotId === null ? {} : { parentSnapshotId: metadata.currentSnapshotId }),
          sequenceNumber: metadata.formatVersion === 1 ? 0n : metadata.lastSequenceNumber + 1n,
          timestampMs: BigInt(clock.now),
          manifestList: `${TABLE_LOCATION}/metadata/snap-${snapshotId}.avro`,
          summary: { operation: 'append' },
          ...lineage,
        },
      };
    }
    case 8: {
      const snapshot = pick(next, metadata.snapshots);
      if (snapshot === undefined) return undefined;
      const refName = pick(next, ['main', 'main', 'dev', 'audit', 'v1'] as const) ?? 'main';
      const type = refName === 'main' || refName === 'dev' ? 'branch' : 'tag';
      return { action: 'set-snapshot-ref', refName, type, snapshotId: snapshot.snapshotId, ...(chance(next, 0.3) ? { maxRefAgeMs: 1000n } : {}) };
    }
    case 9: {
      const refName = pick(next, refNames);
      return refName === undefined ? undefined : { action: 'remove-snapshot-ref', refName };
    }
    case 10: {
      const victims = metadata.snapshots.filter(() => chance(next, 0.3)).map((snapshot) => snapshot.snapshotId);
      return victims.length === 0 ? undefined : { action: 'remove-snapshots', snapshotIds: victims };
    }
    default: {
      if (chance(next, 0.15) && metadata.formatVersion < 3) return { action: 'upgrade-format-version', formatVersion: metadata.formatVersion + 1 };
      if (chance(next, 0.2)) {
        const unused = metadata.schemas
          .filter((schema) => schema.schemaId !== metadata.currentSchemaId && schema.schemaId !== draft.lastAddedSchemaId)
          .map((schema) => schema.schemaId);
        return unused.length === 0 ? undefined : { action: 'remove-schemas', schemaIds: unused.slice(0, 1) };
      }
      if (chance(next, 0.3)) return { action: 'remove-properties', removals: ['owner', 'write.metadata.previous-versions-max'] };
      return {
        action: 'set-properties',
        updates: chance(next, 0.5) ? { owner: `o${Math.floor(next() * 3)}` } : { 'write.metadata.previous-versions-max': String(Math.floor(next() * 6)) },
      };
    }
  }
}

/** The requirements a Java client would send for these updates, taken from the base. */
function clientRequirements(base: TableMetadata, updates: readonly TableUpdate[]): TableRequirement[] {
  const requirements: TableRequirement[] = [{ type: 'assert-table-uuid', uuid: base.tableUuid }];
  if (updates.some((update) => update.action === 'add-schema')) requirements.push({ type: 'assert-last-assigned-field-id', lastAssignedFieldId: base.lastColumnId });
  if (updates.some((update) => update.action === 'set-current-schema')) requirements.push({ type: 'assert-current-schema-id', currentSchemaId: base.currentSchemaId });
  if (updates.some((update) => update.action === 'add-spec')) requirements.push({ type: 'assert-last-assigned-partition-id', lastAssignedPartitionId: base.lastPartitionId });
  for (const update of updates) {
    if (update.action === 'set-snapshot-ref' && !requirements.some((each) => each.type === 'assert-ref-snapshot-id' && each.ref === update.refName)) {
      requirements.push({ type: 'assert-ref-snapshot-id', ref: update.refName, snapshotId: Object.hasOwn(base.refs, update.refName) ? (base.refs[update.refName]?.snapshotId ?? null) : null });
    }
  }
  return requirements;
}

function assertOrdered(timestamps: readonly bigint[], what: string): void {
  for (let index = 1; index < timestamps.length; index += 1) {
    assert.ok((timestamps[index] ?? 0n) >= (timestamps[index - 1] ?? 0n), `${what} is out of order: ${timestamps.join(', ')}`);
  }
}

function assertInvariants(before: TableMetadata, after: TableMetadata): void {
  assert.ok(after.lastColumnId >= before.lastColumnId, 'last-column-id decreased');
  assert.ok(after.lastPartitionId >= before.lastPartitionId, 'last-partition-id decreased');
  assert.ok(after.lastSequenceNumber >= before.lastSequenceNumber, 'last-sequence-number decreased');
  assert.ok(after.nextRowId >= before.nextRowId, 'next-row-id decreased');
  assert.ok(after.lastUpdatedMs >= before.lastUpdatedMs, 'last-updated-ms decreased');
  assert.ok(after.formatVersion >= before.formatVersion, 'format version decreased');
  assert.equal(after.tableUuid, before.tableUuid);

  assert.ok(after.schemas.some((schema) => schema.schemaId === after.currentSchemaId), 'current schema missing');
  assert.ok(after.partitionSpecs.some((spec) => spec.specId === after.defaultSpecId), 'default spec missing');
  assert.ok(after.sortOrders.some((order) => order.orderId === after.defaultSortOrderId), 'default sort order missing');

  const snapshotIds = new Set(after.snapshots.map((snapshot) => snapshot.snapshotId));
  for (const [name, ref] of Object.entries(after.refs)) assert.ok(snapshotIds.has(ref.snapshotId), `ref ${name} points to a missing snapshot`);
  assert.equal(after.refs['main']?.snapshotId ?? null, after.currentSnapshotId);
  if (after.currentSnapshotId !== null && after.snapshotLog.length > 0) assert.equal(after.snapshotLog.at(-1)?.snapshotId, after.currentSnapshotId);

  assertOrdered(after.snapshotLog.map((entry) => entry.timestampMs), 'snapshot-log');
  assertOrdered(after.metadataLog.map((entry) => entry.timestampMs), 'metadata-log');
  assert.ok(after.metadataLog.length <= previousVersionsMax(after.properties), 'metadata-log exceeds previous-versions-max');

  assert.deepEqual(parseTableMetadata(parseJson(stringifyJson(serializeTableMetadata(after)))), after);
}

test(`${CASES} random commit sequences keep the metadata invariants`, () => {
  for (let seed = 1; seed <= CASES; seed += 1) {
    const next = seededRandom(seed);
    const clock = { now: NOW };
    let table = aTable({ formatVersion: pick(next, [1, 2, 2, 3] as const) ?? 2 });
    let version = 0;
    for (let step = 0; step < COMMITS_PER_CASE; step += 1) {
      clock.now += 1 + Math.floor(next() * 1000);
      let draft = startDraft(table, BigInt(clock.now));
      const updates: TableUpdate[] = [];
      const length = 1 + Math.floor(next() * 4);
      for (let attempt = 0; updates.length < length && attempt < 20; attempt += 1) {
        const update = randomUpdate(next, draft, clock);
        if (update === undefined) continue;
        try {
          draft = applyUpdate(draft, update);
        } catch (error) {
          assert.fail(`seed ${seed}, step ${step}: generated an invalid update: ${String(error)}\nupdates: ${stringifyJson([...updates, update])}`);
        }
        updates.push(update);
      }
      const ctx = { now: clock.now, newUuid: () => 'unused', previousMetadataLocation: `${TABLE_LOCATION}/metadata/${metadataFileName(version, 'u')}` };
      let result;
      try {
        result = commit(table, clientRequirements(table, updates), updates, ctx);
      } catch (error) {
        assert.fail(`seed ${seed}, step ${step}: ${String(error)}\nupdates: ${stringifyJson(updates)}`);
      }
      assert.deepEqual(commit(table, [], updates, ctx), result, `seed ${seed}: commit is not deterministic`);
      if (result.changes.length === 0) {
        assert.equal(result.metadata, table);
        continue;
      }
      try {
        assertInvariants(table, result.metadata);
      } catch (error) {
        assert.fail(`seed ${seed}, step ${step}: ${String(error)}\nupdates: ${stringifyJson(updates)}`);
      }
      table = result.metadata;
      version += 1;
    }
  }
});
