import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimState } from './claim-state.js';
import { claimedBy, unclaimedBy, type IntentRecord } from './intent-record.js';

const claims = (base: string, ...metadata: string[]) => ({ base, metadata, claimedMs: 0 });

test('no claim: free', () => {
  assert.deepEqual(claimState(undefined, ['a', 'b']), { kind: 'free' });
});

test('the pointer still names the base: in flight (one of the claimed files may still land)', () => {
  assert.deepEqual(claimState(claims('b', 'm1', 'm2'), ['a', 'b']), { kind: 'in-flight' });
});

test('the file that followed the base is a claimed one: applied, in that file', () => {
  assert.deepEqual(claimState(claims('b', 'm1', 'm2'), ['a', 'b', 'm2', 'c']), { kind: 'applied', metadataLocation: 'm2' });
});

test('another file followed the base: every claimed file is lost for good, so the intent is free', () => {
  assert.deepEqual(claimState(claims('b', 'm1'), ['a', 'b', 'x', 'm1']), { kind: 'free' });
});

test('the base is older than the history reaches: unknown, never guessed', () => {
  assert.deepEqual(claimState(claims('gone', 'm1'), ['a', 'b']), { kind: 'unknown' });
});

test('claims on the same base accumulate; a claim on a newer base replaces a void one; unclaiming removes only ours', () => {
  const intent: IntentRecord = { createdMs: 1, state: 'pending', request: { requirements: [], updates: [] } };
  const first = claimedBy(intent, 'b', 'm1', 10, false);
  const joined = claimedBy(first, 'b', 'm2', 20, true);
  assert.deepEqual(joined.claims, { base: 'b', metadata: ['m1', 'm2'], claimedMs: 20 });
  assert.deepEqual(claimedBy(joined, 'c', 'm3', 30, false).claims, { base: 'c', metadata: ['m3'], claimedMs: 30 });
  assert.deepEqual(unclaimedBy(joined, 'm2').claims, { base: 'b', metadata: ['m1'], claimedMs: 20 });
  assert.equal(unclaimedBy(first, 'm1').claims, undefined);
});
