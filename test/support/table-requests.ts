import { randomBytes } from 'node:crypto';

/** Minimal request builders for the issue-3 acceptance tests (behaviour tests have their own fixtures). */
export function simpleSchema(): Record<string, unknown> {
  return {
    type: 'struct',
    'schema-id': 0,
    fields: [
      { id: 1, name: 'id', required: true, type: 'long' },
      { id: 2, name: 'data', required: false, type: 'string' },
    ],
  };
}

export function createTableBody(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, schema: simpleSchema(), ...extra };
}

/** A random positive 63-bit snapshot id, as Java generates them. */
export function randomSnapshotId(): bigint {
  return randomBytes(8).readBigUInt64BE() & ((1n << 63n) - 1n);
}

export interface TableState {
  readonly location: string;
  readonly lastSequenceNumber: bigint;
  readonly mainSnapshotId: bigint | null;
  readonly currentSchemaId: number;
}

export function tableState(metadata: Record<string, unknown>): TableState {
  const refs = (metadata['refs'] ?? {}) as Record<string, { 'snapshot-id': number | bigint }>;
  const main = refs['main']?.['snapshot-id'];
  return {
    location: metadata['location'] as string,
    lastSequenceNumber: BigInt((metadata['last-sequence-number'] as number | bigint | undefined) ?? 0),
    mainSnapshotId: main === undefined ? null : BigInt(main),
    currentSchemaId: metadata['current-schema-id'] as number,
  };
}

/** What a fast append sends: add the snapshot on top of main, guarded by main's current id. */
export function appendCommit(state: TableState, snapshotId: bigint, extra: { manifestList?: string } = {}): Record<string, unknown> {
  const snapshot: Record<string, unknown> = {
    'snapshot-id': snapshotId,
    'sequence-number': state.lastSequenceNumber + 1n,
    'timestamp-ms': Date.now(),
    'manifest-list': extra.manifestList ?? `${state.location}/metadata/snap-${snapshotId}.avro`,
    summary: { operation: 'append' },
    'schema-id': state.currentSchemaId,
  };
  if (state.mainSnapshotId !== null) snapshot['parent-snapshot-id'] = state.mainSnapshotId;
  return {
    requirements: [{ type: 'assert-ref-snapshot-id', ref: 'main', 'snapshot-id': state.mainSnapshotId }],
    updates: [
      { action: 'add-snapshot', snapshot },
      { action: 'set-snapshot-ref', 'ref-name': 'main', type: 'branch', 'snapshot-id': snapshotId },
    ],
  };
}

/** A unique name for core-level tests that do not start a server. */
export function uniqueNameOf(stem: string): string {
  return `${stem}_${randomBytes(4).toString('hex')}`;
}
