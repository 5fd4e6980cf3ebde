import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AccessDelegationConfig } from '../config.js';
import { chooseDelegation, delegateAccess, DELEGATION_KEY, DELEGATION_REASON_KEY, loadStorageCredentials, tablePath, type DelegationDeps } from './access-delegation.js';
import type { CredentialVendor, VendRequest } from './credential-vendor.js';
import type { AccessDelegationMechanism } from './delegation-header.js';

const access = (over: Partial<AccessDelegationConfig> = {}): AccessDelegationConfig => ({ stsRegion: 'us-east-1', vendedCredentialsSeconds: 3600, preference: 'vended-credentials', ...over });

function aVendor() {
  const calls: VendRequest[] = [];
  const vendor: CredentialVendor = {
    async vend(request) {
      calls.push(request);
      return { accessKeyId: 'ASIA1', secretAccessKey: 'secret1', sessionToken: 'token1', expiresAtMs: 1_000 };
    },
  };
  return { vendor, calls };
}

const deps = (over: Partial<DelegationDeps> = {}): DelegationDeps => ({ access: access(), s3: { region: 'eu-west-1', forcePathStyle: false }, vendor: aVendor().vendor, signingLive: true, refreshLive: true, ...over });
const table = { warehouse: 'default', namespace: ['sales', 'eu'], name: 'orders', uuid: 'u-1', location: 's3://lake/wh/sales/eu/orders' };
const reader = { label: 'user:r', level: 'read-only' as const };
const ask = (...m: AccessDelegationMechanism[]) => new Set(m);

describe('choosing a mechanism', () => {
  test('none asked: nothing, whatever is offered', async () => {
    const answer = await delegateAccess(ask(), table, reader, deps());
    assert.deepEqual(answer.config, {});
    assert.equal(answer.storageCredentials, undefined);
  });

  test('both asked: the configured preference where both are offered, else the one offered', () => {
    assert.equal(chooseDelegation(ask('vended-credentials', 'remote-signing'), table.location, deps()).kind, 'vended-credentials');
    assert.equal(chooseDelegation(ask('vended-credentials', 'remote-signing'), table.location, deps({ access: access({ preference: 'remote-signing' }) })).kind, 'remote-signing');
    assert.equal(chooseDelegation(ask('vended-credentials', 'remote-signing'), table.location, deps({ vendor: undefined })).kind, 'remote-signing');
    assert.equal(chooseDelegation(ask('vended-credentials', 'remote-signing'), table.location, deps({ signingLive: false })).kind, 'vended-credentials');
  });

  test('a file:// table gets nothing, and says why in config', async () => {
    const answer = await delegateAccess(ask('vended-credentials', 'remote-signing'), { ...table, location: 'file:///srv/wh/sales/orders' }, reader, deps());
    assert.equal(answer.config[DELEGATION_KEY], 'none');
    assert.match(answer.config[DELEGATION_REASON_KEY] ?? '', /file/);
    assert.equal(answer.storageCredentials, undefined);
    assert.equal(answer.carriesCredentials, false);
  });

  test('vending asked where there is no data-access role: nothing vended, signing suggested', async () => {
    const answer = await delegateAccess(ask('vended-credentials'), table, reader, deps({ vendor: undefined }));
    assert.equal(answer.config[DELEGATION_KEY], 'none');
    assert.match(answer.config[DELEGATION_REASON_KEY] ?? '', /remote-signing/);
  });
});

describe('vended credentials', () => {
  test('storage-credentials scoped to the table location, the same keys in config for older clients, and where to refresh', async () => {
    const { vendor, calls } = aVendor();
    const answer = await delegateAccess(ask('vended-credentials'), table, reader, deps({ vendor }));
    assert.deepEqual(calls, [{ prefix: { bucket: 'lake', key: 'wh/sales/eu/orders' }, level: 'read-only', caller: 'user:r' }]);
    assert.equal(answer.carriesCredentials, true);
    const [credential] = answer.storageCredentials ?? [];
    assert.equal(credential?.prefix, table.location);
    assert.deepEqual(credential?.config, {
      's3.access-key-id': 'ASIA1',
      's3.secret-access-key': 'secret1',
      's3.session-token': 'token1',
      's3.session-token-expires-at-ms': '1000',
      'client.region': 'eu-west-1',
      'client.refresh-credentials-endpoint': 'v1/default/namespaces/sales%1Feu/tables/orders/credentials',
      'client.refresh-credentials-enabled': 'true',
    });
    assert.equal(answer.config['s3.session-token'], 'token1');
    assert.equal(answer.config[DELEGATION_KEY], 'vended-credentials');
  });

  test('an S3-compatible endpoint is named with its addressing', async () => {
    const answer = await delegateAccess(ask('vended-credentials'), table, reader, deps({ s3: { region: 'us-east-1', endpoint: 'http://127.0.0.1:7480', forcePathStyle: true } }));
    assert.equal(answer.storageCredentials?.[0]?.config['s3.endpoint'], 'http://127.0.0.1:7480');
    assert.equal(answer.storageCredentials?.[0]?.config['s3.path-style-access'], 'true');
  });

  test('no refresh endpoint while loadCredentials is not live', async () => {
    const answer = await delegateAccess(ask('vended-credentials'), table, reader, deps({ refreshLive: false }));
    assert.equal(answer.config['client.refresh-credentials-endpoint'], undefined);
  });

  test('the access level reaches the vendor', async () => {
    const { vendor, calls } = aVendor();
    await delegateAccess(ask('vended-credentials'), table, { label: 'user:w', level: 'read-write' }, deps({ vendor }));
    assert.equal(calls[0]?.level, 'read-write');
  });

  test('loadCredentials gets the same list, and an empty one where nothing is vended', async () => {
    assert.equal((await loadStorageCredentials(table, reader, deps())).length, 1);
    assert.deepEqual(await loadStorageCredentials(table, reader, deps({ vendor: undefined })), []);
    assert.deepEqual(await loadStorageCredentials({ ...table, location: 'file:///x/y' }, reader, deps()), []);
  });
});

describe('remote signing', () => {
  test('signing enabled, the table sign path relative to the catalog URI, signer properties naming the table, no credentials', async () => {
    const answer = await delegateAccess(ask('remote-signing'), table, reader, deps());
    assert.equal(answer.config['s3.remote-signing-enabled'], 'true');
    assert.equal(answer.config['signer.endpoint'], 'v1/default/namespaces/sales%1Feu/tables/orders/sign');
    assert.equal(answer.config['s3.signer.endpoint'], answer.config['signer.endpoint']);
    assert.equal(answer.config['s3.signer'], 'S3V4RestSigner', 'PyIceberg picks its REST signer by this key');
    assert.equal(answer.config['signer.uri'], undefined, 'clients use their catalog URI');
    assert.equal(answer.config['client.region'], 'eu-west-1');
    assert.equal(answer.remoteSigningConfig?.properties['catalog.signer.table'], 'orders');
    assert.equal(answer.storageCredentials, undefined);
    assert.equal(answer.carriesCredentials, false);
  });

  test('signer.uri only with a configured public URL', async () => {
    const answer = await delegateAccess(ask('remote-signing'), table, reader, deps({ access: access({ publicUrl: 'https://catalog.example.com/prod' }) }));
    assert.equal(answer.config['signer.uri'], 'https://catalog.example.com/prod');
  });

  test('not offered while the sign route is not live', async () => {
    assert.equal((await delegateAccess(ask('remote-signing'), table, reader, deps({ signingLive: false }))).config[DELEGATION_KEY], 'none');
  });
});

test('table paths encode names and join namespace levels with %1F', () => {
  assert.equal(tablePath({ warehouse: 'w h', namespace: ['a/b', 'c'], name: 'd%e' }), 'v1/w%20h/namespaces/a%2Fb%1Fc/tables/d%25e');
});
