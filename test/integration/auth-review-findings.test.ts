import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { assertError, assertStatus } from '../support/assertions.js';
import { bindRole, keyWithRole } from '../support/auth-fixtures.js';
import { startTestCatalog, type TestCatalog } from '../support/catalog-harness.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';
import { aCreateTransactionCommit, type TableMetadataJson } from '../support/table-fixtures.js';
import { createTableBody } from '../support/table-requests.js';

/**
 * Reproductions of the security review's authorization and token findings, through HTTP
 * (code review 2.3 to 2.6, security review B7, B8, A22, and the form parser's repeated parameters).
 * Each test failed before its fix.
 */
const WH = 'default';
const N = `/v1/${WH}/namespaces`;
let idp: TestOidcProvider;
let catalog: TestCatalog;
let owner: string;
let writer: string;
let reader: string;
let reader2: string;

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const tokenRequest = (body: string, headers: Record<string, string> = {}) =>
  catalog.request('POST', '/v1/oauth/tokens', { token: null, rawBody: body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §2.1 and the spec's OAuthTokenExchangeRequest require subject_token_type. */
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const JWT = 'urn:ietf:params:oauth:token-type:jwt';

before(async () => {
  idp = await startOidcProvider();
  catalog = await startTestCatalog({ auth: true, env: { CATALOG_OIDC_ISSUER: idp.issuer, CATALOG_OIDC_AUDIENCE: 'iceberg', CATALOG_LOG_LEVEL: 'error' } });
  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await catalog.request(method, path, body === undefined ? {} : { body });
    assert.ok(r.status < 300, `setup ${method} ${path}: ${r.status} ${r.text}`);
    return r;
  };
  await admin('POST', N, { namespace: ['sales'] });
  await admin('POST', N, { namespace: ['paged'] });
  for (const name of ['prod_orders', 'scratch', 'other']) await admin('POST', `${N}/sales/tables`, createTableBody(name));
  for (const name of ['a_public', 'secret_merger_plan', 'z_public']) await admin('POST', `${N}/paged/tables`, createTableBody(name));
  const sales = { type: 'Namespace' as const, warehouse: WH, namespace: ['sales'] };
  const paged = { type: 'Namespace' as const, warehouse: WH, namespace: ['paged'] };
  owner = await keyWithRole(catalog, 'owner', 'NamespaceOwner', sales);
  writer = await keyWithRole(catalog, 'writer', 'TableWriter', sales);
  reader = await keyWithRole(catalog, 'reader', 'TableReader', paged);
  reader2 = await keyWithRole(catalog, 'reader2', 'TableReader', paged);
  await admin('POST', '/management/v1/policies/protect_prod', {
    policy: 'forbid(principal, action in [Action::"updateTable", Action::"dropTable", Action::"renameTable", Action::"commitTransaction"], resource == Table::"default/sales/prod_orders");',
  });
  await admin('POST', '/management/v1/policies/hide_secret', { policy: 'forbid(principal, action, resource == Table::"default/paged/secret_merger_plan");' });
  await bindRole(catalog, { type: 'Group', id: 'analysts' }, 'TableReader', sales);
});
after(async () => {
  await catalog.close();
  await idp.close();
});

describe('updateTable with assert-create is a create (B7, code review 2.3)', () => {
  async function stagedMetadata(name: string): Promise<TableMetadataJson> {
    const staged = await catalog.request('POST', `${N}/sales/tables`, { body: createTableBody(name, { 'stage-create': true }) });
    assertStatus(staged, 200);
    return (staged.body as unknown as { metadata: TableMetadataJson }).metadata;
  }

  test('a TableWriter, who may not create tables, gets 403 and no table', async () => {
    const commit = aCreateTransactionCommit(await stagedMetadata('by_writer'));
    assertError(await catalog.request('POST', `${N}/sales/tables/by_writer`, { token: writer, body: commit }), 403, 'ForbiddenException');
    assertError(await catalog.request('GET', `${N}/sales/tables/by_writer`), 404, 'NoSuchTableException');
  });

  test('a NamespaceOwner, who may, creates the table', async () => {
    const commit = aCreateTransactionCommit(await stagedMetadata('by_owner'));
    assertStatus(await catalog.request('POST', `${N}/sales/tables/by_owner`, { token: owner, body: commit }), 200);
  });
});

describe('register-table with overwrite replaces a table (code review 2.4)', () => {
  const register = (name: string, location: string) => ({ name, 'metadata-location': location, overwrite: true });

  test('against a per-table forbid of update and drop: 403, and the table is unchanged', async () => {
    const before = await catalog.request('GET', `${N}/sales/tables/prod_orders`);
    const other = await catalog.request('GET', `${N}/sales/tables/other`);
    assertError(await catalog.request('DELETE', `${N}/sales/tables/prod_orders`, { token: owner }), 403, 'ForbiddenException');
    const location = (other.body as { 'metadata-location': string })['metadata-location'];
    assertError(await catalog.request('POST', `${N}/sales/register`, { token: owner, body: register('prod_orders', location) }), 403, 'ForbiddenException');
    const afterwards = await catalog.request('GET', `${N}/sales/tables/prod_orders`);
    assert.equal((afterwards.body as { 'metadata-location': string })['metadata-location'], (before.body as { 'metadata-location': string })['metadata-location']);
  });

  test('with overwrite on a table the owner may update and drop: not refused by authorization', async () => {
    const current = await catalog.request('GET', `${N}/sales/tables/scratch`);
    const location = (current.body as { 'metadata-location': string })['metadata-location'];
    const answer = await catalog.request('POST', `${N}/sales/register`, { token: owner, body: register('scratch', location) });
    assert.notEqual(answer.status, 403, answer.text);
  });
});

describe('page tokens are opaque and bound to the listing and the caller (B8, code review 2.5)', () => {
  async function walk(token: string, path: string): Promise<{ names: string[]; tokens: string[] }> {
    const names: string[] = [];
    const tokens: string[] = [];
    let next = '';
    for (let pages = 0; pages < 20; pages++) {
      const r = await catalog.request('GET', `${path}?pageSize=1&pageToken=${encodeURIComponent(next)}`, { token });
      assertStatus(r, 200);
      const body = r.body as { identifiers: { name: string }[]; 'next-page-token': string | null };
      names.push(...body.identifiers.map((i) => i.name));
      if (body['next-page-token'] === null) break;
      next = body['next-page-token'];
      tokens.push(next);
    }
    return { names, tokens };
  }

  test('no page token reveals the hidden table, in any encoding', async () => {
    const { names, tokens } = await walk(reader, `${N}/paged/tables`);
    assert.deepEqual(names, ['a_public', 'z_public']);
    assert.ok(tokens.length >= 2);
    for (const token of tokens) {
      for (const text of [token, Buffer.from(token, 'base64url').toString('latin1'), Buffer.from(token, 'base64').toString('latin1')]) {
        assert.ok(!text.includes('secret'), `token ${token} carries the hidden name`);
        assert.ok(!text.includes('a_public'), `token ${token} carries a listed name in the clear`);
      }
    }
  });

  test('a forged, tampered, foreign-listing or other caller’s token is 400', async () => {
    const first = await catalog.request('GET', `${N}/paged/tables?pageSize=1&pageToken=`, { token: reader });
    const token = (first.body as { 'next-page-token': string })['next-page-token'];
    const bytes = Buffer.from(token, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    const cases: [string, string, string][] = [
      ['forged (the old plain format)', Buffer.from('table:secret_merger_plan').toString('base64url'), reader],
      ['tampered', bytes.toString('base64url'), reader],
      ['another caller', token, reader2],
    ];
    for (const [what, value, who] of cases) {
      const r = await catalog.request('GET', `${N}/paged/tables?pageSize=1&pageToken=${encodeURIComponent(value)}`, { token: who });
      assertError(r, 400, 'BadRequestException');
      void what;
    }
    const admin = await catalog.request('GET', `${N}/paged/tables?pageSize=1&pageToken=`);
    const adminToken = (admin.body as { 'next-page-token': string })['next-page-token'];
    assertError(await catalog.request('GET', `${N}/sales/tables?pageSize=1&pageToken=${encodeURIComponent(adminToken)}`), 400, 'BadRequestException');
    assertError(await catalog.request('GET', `${N}/paged/views?pageSize=1&pageToken=${encodeURIComponent(adminToken)}`), 400, 'BadRequestException');
    assertError(await catalog.request('GET', `${N}?pageSize=1&pageToken=${encodeURIComponent(adminToken)}`), 400, 'BadRequestException');
  });
});

describe('token exchange stays tied to the client and the original authentication (A22, code review 2.6)', () => {
  test('after the client is deleted, its token neither works nor exchanges', async () => {
    const created = await catalog.request('POST', '/management/v1/oauth-clients', { body: { name: 'doomed', groups: ['analysts'] } });
    const { 'client-id': clientId, 'client-secret': secret } = created.body as { 'client-id': string; 'client-secret': string };
    const t1 = ((await tokenRequest(form({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }))).body as { access_token: string }).access_token;
    const t2answer = await tokenRequest(form({ grant_type: EXCHANGE, subject_token: t1, subject_token_type: ACCESS_TOKEN }));
    assertStatus(t2answer, 200);
    const t2 = (t2answer.body as { access_token: string }).access_token;
    const c1 = decodeJwt(t1);
    const c2 = decodeJwt(t2);
    assert.equal(c2['client_id'], clientId, 'the exchanged token names the client');
    assert.equal(c2['auth_time'], c1['auth_time'], 'and the original authentication time');
    assertStatus(await catalog.request('GET', `${N}/sales`, { token: t2 }), 200);

    assertStatus(await catalog.request('DELETE', `/management/v1/oauth-clients/${clientId}`), 204);
    assertStatus(await tokenRequest(form({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret })), 401);
    const exchanged = await tokenRequest(form({ grant_type: EXCHANGE, subject_token: t1, subject_token_type: ACCESS_TOKEN }));
    assertStatus(exchanged, 400);
    assert.equal((exchanged.body as { error: string }).error, 'invalid_grant');
    assertError(await catalog.request('GET', `${N}/sales`, { token: t1 }), 401, 'NotAuthorizedException');
    assertError(await catalog.request('GET', `${N}/sales`, { token: t2 }), 401, 'NotAuthorizedException');
  });

  test('an OIDC token exchanged keeps its authentication time, and a token past the session age is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const fresh = await idp.sign({ groups: ['analysts'], iat: now - 60 });
    const answer = await tokenRequest(form({ grant_type: EXCHANGE, subject_token: fresh, subject_token_type: JWT }));
    assertStatus(answer, 200);
    assert.equal(decodeJwt((answer.body as { access_token: string }).access_token)['auth_time'], now - 60);

    // An IdP session that began 13 hours ago (default maximum: 12 hours) is not renewed.
    const old = await idp.sign({ groups: ['analysts'], iat: now - 60, auth_time: now - 13 * 3600 });
    const refused = await tokenRequest(form({ grant_type: EXCHANGE, subject_token: old, subject_token_type: JWT }));
    assertStatus(refused, 400);
    assert.equal((refused.body as { error: string }).error, 'invalid_grant');

    // One that began 11h50m ago gets a token that ends with the session, not an hour later.
    const late = await idp.sign({ groups: ['analysts'], iat: now - 60, auth_time: now - 11 * 3600 - 50 * 60 });
    const short = await tokenRequest(form({ grant_type: EXCHANGE, subject_token: late, subject_token_type: JWT }));
    assertStatus(short, 200);
    const body = short.body as { access_token: string; expires_in: number };
    assert.ok(body.expires_in <= 600 + 5 && body.expires_in > 0, `expires_in ${body.expires_in}`);
    assert.ok(decodeJwt(body.access_token).exp! <= now - 11 * 3600 - 50 * 60 + 12 * 3600 + 5);
  });
});

describe('the token endpoint form (RFC 6749 §3.1)', () => {
  test('a repeated parameter is invalid_request, whichever copy would have won', async () => {
    const created = await catalog.request('POST', '/management/v1/oauth-clients', { body: { name: 'twice' } });
    const { 'client-id': clientId, 'client-secret': secret } = created.body as { 'client-id': string; 'client-secret': string };
    const ok = form({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
    assertStatus(await tokenRequest(ok), 200);
    for (const extra of ['&client_secret=wrong', '&grant_type=client_credentials', '&scope=catalog&scope=admin']) {
      const r = await tokenRequest(ok + extra);
      assertStatus(r, 400);
      assert.equal((r.body as { error: string }).error, 'invalid_request', extra);
    }
  });
});
