import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { BadRequestError } from '../errors.js';
import { openedPageToken, sealNextPageToken, visibleEntries, type ListingBinding } from './list-visibility.js';
import type { ResourceRef } from './resources.js';
import { aBinding, anAuthFixture, aUser, onNamespace } from './testing/fixtures.js';

const onlySales = (r: ResourceRef) => 'namespace' in r && r.namespace[0] === 'sales';

test('namespaces: keeps only the namespaces the caller may see, and the page token', () => {
  const body = { namespaces: [['sales'], ['hr'], ['sales', 'eu']], 'next-page-token': 'abc' };
  assert.deepEqual(visibleEntries('namespaces', 'default', body, onlySales), { namespaces: [['sales'], ['sales', 'eu']], 'next-page-token': 'abc' });
});

test('tables and views filter identifiers as tables and views', () => {
  const seen: string[] = [];
  const body = { identifiers: [{ namespace: ['sales'], name: 'a' }, { namespace: ['hr'], name: 'b' }], 'next-page-token': null };
  const filtered = visibleEntries('views', 'default', body, (r) => (seen.push(r.type), onlySales(r)));
  assert.deepEqual(filtered['identifiers'], [{ namespace: ['sales'], name: 'a' }]);
  assert.deepEqual(seen, ['View', 'View']);
});

test('a list answer without the expected array fails closed', () => {
  assert.throws(() => visibleEntries('tables', 'default', { tables: [] }, () => true), /refusing to answer unfiltered/);
});

test('page tokens: sealed tokens open only for the same listing and caller; anything else is a 400 (B8)', () => {
  const key = new Uint8Array(randomBytes(32));
  const binding: ListingBinding = { kind: 'tables', warehouse: 'default', namespace: 'sales', caller: 'ApiKey::ak_reader' };
  const inner = Buffer.from('table:secret_merger_plan').toString('base64url');
  const sealed = sealNextPageToken(key, { identifiers: [], 'next-page-token': inner }, binding)['next-page-token'] as string;
  assert.notEqual(sealed, inner);
  assert.ok(!Buffer.from(sealed, 'base64url').toString('latin1').includes('secret'));
  assert.equal(openedPageToken(key, sealed, binding), inner);
  assert.equal(openedPageToken(key, '', binding), '', 'an empty token asks for the first page');
  assert.deepEqual(sealNextPageToken(key, { identifiers: [], 'next-page-token': null }, binding), { identifiers: [], 'next-page-token': null });
  const others: ListingBinding[] = [
    { ...binding, kind: 'views' },
    { ...binding, warehouse: 'other' },
    { ...binding, namespace: 'hr' },
    { ...binding, caller: 'ApiKey::ak_other' },
  ];
  for (const other of others) assert.throws(() => openedPageToken(key, sealed, other), BadRequestError);
  assert.throws(() => openedPageToken(new Uint8Array(randomBytes(32)), sealed, binding), BadRequestError);
  assert.throws(() => openedPageToken(key, inner, binding), BadRequestError, 'the plain inner format is refused');
  const tampered = Buffer.from(sealed, 'base64url');
  tampered[20]! ^= 1;
  assert.throws(() => openedPageToken(key, tampered.toString('base64url'), binding), BadRequestError);
  assert.throws(() => openedPageToken(key, 'not a token!', binding), BadRequestError);
});

test('filtering a large listing through real decisions (a hot path for the JIT)', async () => {
  const { authorizer, store } = anAuthFixture();
  await store.createBinding(aBinding('TableReader', { type: 'User', id: 'alice' }, onNamespace('sales')));
  const session = await authorizer.session(aUser('alice'));
  const identifiers = Array.from({ length: 5_000 }, (_, i) => ({ namespace: [i % 2 === 0 ? 'sales' : 'hr'], name: `t${i}` }));
  const filtered = visibleEntries('tables', 'default', { identifiers }, (r) => session.canSee(r));
  assert.equal((filtered['identifiers'] as unknown[]).length, 2_500);
});
