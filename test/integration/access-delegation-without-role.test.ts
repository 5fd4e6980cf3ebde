import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertStatus } from '../support/assertions.js';
import { keyWithRole } from '../support/auth-fixtures.js';
import { startTestCatalog, uniqueName, type TestCatalog } from '../support/catalog-harness.js';
import { createTableBody } from '../support/table-requests.js';

/**
 * An S3 deployment without a data-access role (no STS, or vending not wanted): nothing is vended and
 * remote signing is offered when asked. The catalog here runs without the role even where the run's
 * store has STS (scripts/rgw-up.sh exports one), so this runs on every S3 run; on local files
 * access-delegation.test.ts covers the file:// answer instead.
 */
const S3 = (process.env['S3_ENDPOINT'] ?? '') !== '';
const HEADER = 'X-Iceberg-Access-Delegation';
const WH = 'default';

type LoadResult = { config: Record<string, string>; 'storage-credentials'?: unknown; 'remote-signing-config'?: { properties?: Record<string, string> } };

let catalog: TestCatalog;
let ns: string;
let reader: string;

before(async () => {
  catalog = await startTestCatalog({ auth: true, env: { CATALOG_DATA_ACCESS_ROLE_ARN: '', CATALOG_STS_ENDPOINT: '' } });
  ns = uniqueName('deleg_norole');
  assertStatus(await catalog.request('POST', `/v1/${WH}/namespaces`, { body: { namespace: [ns] } }), 200);
  assertStatus(await catalog.request('POST', `/v1/${WH}/namespaces/${ns}/tables`, { body: createTableBody('orders') }), 200);
  reader = await keyWithRole(catalog, 'reader', 'TableReader', { type: 'Namespace', warehouse: WH, namespace: [ns] });
});
after(async () => catalog.close());

const load = async (mode: string): Promise<LoadResult> => {
  const r = await catalog.request('GET', `/v1/${WH}/namespaces/${ns}/tables/orders`, { headers: { [HEADER]: mode }, token: reader });
  assertStatus(r, 200);
  return r.body as unknown as LoadResult;
};

describe('S3 without a data-access role: remote signing offered, nothing vended', { skip: S3 ? false : 'the store is local files (access-delegation.test.ts covers file:// tables)' }, () => {
  test('remote-signing and both give the signer settings; vended-credentials alone gives none', async () => {
    for (const mode of ['remote-signing', 'vended-credentials,remote-signing']) {
      const r = await load(mode);
      assert.equal(r.config['s3.remote-signing-enabled'], 'true', mode);
      assert.match(r.config['signer.endpoint'] ?? '', new RegExp(`^v1/${WH}/namespaces/${ns}/tables/orders/sign$`));
      assert.equal(r['storage-credentials'], undefined);
      assert.equal(r['remote-signing-config']?.properties?.['catalog.signer.table'], 'orders');
    }
    const vendOnly = await load('vended-credentials');
    assert.equal(vendOnly.config['catalog.access-delegation'], 'none');
    assert.equal(vendOnly['storage-credentials'], undefined);
    const credentials = await catalog.request('GET', `/v1/${WH}/namespaces/${ns}/tables/orders/credentials`, { token: reader });
    assert.deepEqual(credentials.body, { 'storage-credentials': [] });
  });
});
