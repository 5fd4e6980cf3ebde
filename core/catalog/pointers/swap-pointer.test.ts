import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommitStateUnknownError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import { advancedTo, pointerToJson, readObjectPointer, type ObjectPointer } from './object-pointer.js';
import { swapPointer } from './swap-pointer.js';

const base: ObjectPointer = { kind: 'view', state: 'active', stateSinceMs: 1, uuid: 'u', metadataLocation: 's3://w/v/metadata/00001-base.gz.metadata.json' };
const ours = advancedTo(base, 's3://w/v/metadata/00002-ours.gz.metadata.json');

/** A store where our swap's outcome was in doubt and the pointer now holds `current`. */
function contextWith(current: ObjectPointer): CatalogContext {
  return {
    records: {
      replace: async () => ({ ok: false, reason: 'moved' }),
      read: async (key: string) => ({ value: readObjectPointer(pointerToJson(current), key), etag: 'e2' }),
    },
  } as unknown as CatalogContext;
}

const undecidable = async () => undefined;

test('a doubtful swap whose change is in the pointer history landed, even when two commits followed (fuzz: concurrent view replaces on RGW)', async () => {
  const later = advancedTo(advancedTo(ours, 's3://w/v/metadata/00003-a.metadata.json'), 's3://w/v/metadata/00004-b.metadata.json');
  assert.deepEqual(await swapPointer(contextWith(later), 'k', { value: base, etag: 'e1' }, ours, undecidable), { landed: true });
});

test('a history that reaches back to our base without our change: lost, so the caller may retry', async () => {
  const rival = advancedTo(advancedTo(base, 's3://w/v/metadata/00002-rival.metadata.json'), 's3://w/v/metadata/00003-c.metadata.json');
  assert.deepEqual(await swapPointer(contextWith(rival), 'k', { value: base, etag: 'e1' }, ours, undecidable), { landed: false });
});

test('a history too short to reach our base falls back to the kind\'s lineage, and undecided stays unknown', async () => {
  let far: ObjectPointer = base;
  for (let i = 0; i < 12; i++) far = advancedTo(far, `s3://w/v/metadata/${i}-x.metadata.json`);
  await assert.rejects(swapPointer(contextWith(far), 'k', { value: base, etag: 'e1' }, ours, undecidable), CommitStateUnknownError);
});

test('the history is bounded and survives a round trip through the stored record', () => {
  let pointer: ObjectPointer = base;
  for (let i = 0; i < 20; i++) pointer = advancedTo(pointer, `s3://w/v/metadata/${i}.metadata.json`);
  const stored = readObjectPointer(pointerToJson(pointer), 'k');
  assert.equal(stored.previous?.length, 8);
  assert.deepEqual(stored, pointer);
});
