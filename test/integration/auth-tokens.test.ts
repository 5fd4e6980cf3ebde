import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, SignJWT } from 'jose';
import { INVALID_CREDENTIALS, MISSING_CREDENTIALS } from '../../core/auth/authenticator.js';
import { assertError, assertStatus } from '../support/assertions.js';
import { bindRole, createApiKey } from '../support/auth-fixtures.js';
import { startTestCatalog, type CatalogResponse, type TestCatalog } from '../support/catalog-harness.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider.js';

/**
 * Token attacks through HTTP: every forged, stale or misdirected credential is the same 401 with the
 * same message, which says nothing about what was wrong. Plus the OAuth client-credentials flow and
 * the bootstrap admin key.
 */
let idp: TestOidcProvider;
let catalog: TestCatalog;
const PROTECTED = '/v1/default/namespaces/sales';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

before(async () => {
  idp = await startOidcProvider();
  catalog = await startTestCatalog({
    auth: true,
    env: { CATALOG_OIDC_ISSUER: idp.issuer, CATALOG_OIDC_AUDIENCE: 'iceberg', CATALOG_AUTH_CLOCK_SKEW: 'PT30S', CATALOG_LOG_LEVEL: 'error' },
  });
  assertStatus(await catalog.request('POST', '/v1/default/namespaces', { body: { namespace: ['sales'] } }), 200);
  await bindRole(catalog, { type: 'Group', id: 'analysts' }, 'TableReader', { type: 'Namespace', warehouse: 'default', namespace: ['sales'] });
});
after(async () => {
  await catalog.close();
  await idp.close();
});

function assertUnauthorized(response: CatalogResponse, message = INVALID_CREDENTIALS): void {
  assertError(response, 401, 'NotAuthorizedException');
  assert.equal((response.body as { error: { message: string } }).error.message, message, 'every failure reads the same');
  assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
}

describe('OIDC tokens', () => {
  test('a valid token of a group member is accepted (the baseline the attacks vary)', async () => {
    assertStatus(await catalog.request('GET', PROTECTED, { token: await idp.sign({ groups: ['analysts'] }) }), 200);
  });

  test('a valid token whose groups have no role is authenticated but sees nothing: 404', async () => {
    assertError(await catalog.request('GET', PROTECTED, { token: await idp.sign({ groups: ['others'] }) }), 404, 'NoSuchNamespaceException');
  });

  test('expired (beyond the clock skew): 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: await idp.sign({ groups: ['analysts'], iat: now - 600, exp: now - 60 }) }));
  });

  test('expired within the clock skew is still accepted', async () => {
    const now = Math.floor(Date.now() / 1000);
    assertStatus(await catalog.request('GET', PROTECTED, { token: await idp.sign({ groups: ['analysts'], iat: now - 600, exp: now - 5 }) }), 200);
  });

  test('not yet valid (nbf beyond the clock skew): 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: await idp.sign({ groups: ['analysts'], nbf: now + 120 }) }));
  });

  test('wrong issuer: 401', async () => {
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: await idp.sign({ groups: ['analysts'], iss: 'https://evil.example.com' }) }));
  });

  test('wrong audience: 401', async () => {
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: await idp.sign({ groups: ['analysts'], aud: 'another-service' }) }));
  });

  test('no expiry at all: 401', async () => {
    const token = await idp.sign({ groups: ['analysts'], exp: undefined });
    assert.equal(decodeJwt(token).exp, undefined);
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token }));
  });

  test('alg none (unsigned): 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', groups: ['analysts'], iss: idp.issuer, aud: 'iceberg', iat: now, exp: now + 300 })}.`;
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token }));
  });

  test('HS256 signed with the provider’s public key as the secret (key confusion): 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: 'alice', groups: ['analysts'] })
      .setProtectedHeader({ alg: 'HS256', kid: idp.kid })
      .setIssuer(idp.issuer)
      .setAudience('iceberg')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(new TextEncoder().encode(idp.publicKeyPem));
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token }));
  });

  test('tampered payload (signature of the original): 401', async () => {
    const [header, , signature] = (await idp.sign({ groups: ['others'] })).split('.');
    const now = Math.floor(Date.now() / 1000);
    const forged = `${header}.${b64({ sub: 'alice', groups: ['analysts'], iss: idp.issuer, aud: 'iceberg', iat: now, exp: now + 300 })}.${signature}`;
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: forged }));
  });

  test('unknown kid (a key the provider never published): 401', async () => {
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: await idp.signWithUnpublishedKey({ groups: ['analysts'] }) }));
  });

  test('garbage, a JWT-shaped string and a non-Bearer scheme: 401; nothing at all: 401 asking for credentials', async () => {
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: 'not-a-token' }));
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: 'a.b.c' }));
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: null, headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } }));
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: null }), MISSING_CREDENTIALS);
  });
});

describe('API keys', () => {
  test('a revoked key: 401', async () => {
    const { key, id } = await createApiKey(catalog, { name: 'to-revoke', groups: ['analysts'] });
    assertStatus(await catalog.request('GET', PROTECTED, { token: key }), 200);
    assertStatus(await catalog.request('DELETE', `/management/v1/api-keys/${id}`), 204);
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: key }));
  });

  test('an expired key: 401', async () => {
    const { key } = await createApiKey(catalog, { name: 'expired', groups: ['analysts'], expiresAt: new Date(Date.now() - 60_000).toISOString() });
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: key }));
  });

  test('a key with a wrong secret, and an unknown key id: 401', async () => {
    const { key } = await createApiKey(catalog, { name: 'tampered', groups: ['analysts'] });
    const [id, secret] = key.split('.') as [string, string];
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: `${id}.${secret.slice(0, -2)}AA` }));
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: `ak_0000000000000000.${secret}` }));
  });

  test('listing shows the keys, never their secret or hash', async () => {
    const { key } = await createApiKey(catalog, { name: 'listed' });
    const listed = await catalog.request('GET', '/management/v1/api-keys');
    assertStatus(listed, 200);
    assert.ok(!listed.text.includes(key.split('.')[1]!));
    assert.ok(!listed.text.includes('"hash"'));
    assert.ok((listed.body as { 'api-keys': { name: string }[] })['api-keys'].some((k) => k.name === 'listed'));
  });
});

describe('OAuth client credentials at /v1/oauth/tokens', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const tokenRequest = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    catalog.request('POST', '/v1/oauth/tokens', { token: null, rawBody: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  test('a registered client gets a short-lived catalog token that works as a bearer token', async () => {
    const created = await catalog.request('POST', '/management/v1/oauth-clients', { body: { name: 'spark', groups: ['analysts'] } });
    assertStatus(created, 200);
    const { 'client-id': clientId, 'client-secret': secret } = created.body as { 'client-id': string; 'client-secret': string };
    const answer = await tokenRequest({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: 'catalog' });
    assertStatus(answer, 200);
    const body = answer.body as { access_token: string; token_type: string; expires_in: number; issued_token_type: string };
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 3600);
    assert.equal(body.issued_token_type, 'urn:ietf:params:oauth:token-type:access_token');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.equal(decodeJwt(body.access_token).sub, clientId);
    assertStatus(await catalog.request('GET', PROTECTED, { token: body.access_token }), 200);

    const basic = await tokenRequest({ grant_type: 'client_credentials' }, { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` });
    assertStatus(basic, 200);

    const exchanged = await tokenRequest({ grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: body.access_token, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token' });
    assertStatus(exchanged, 200);
    assertStatus(await catalog.request('GET', PROTECTED, { token: (exchanged.body as { access_token: string }).access_token }), 200);
  });

  test('a wrong secret and an unknown client are the same invalid_client', async () => {
    const created = await catalog.request('POST', '/management/v1/oauth-clients', { body: { name: 'trino', secret: 'a person chose this secret' } });
    const clientId = (created.body as { 'client-id': string })['client-id'];
    const wrong = await tokenRequest({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'a person chose that secret' });
    const unknown = await tokenRequest({ grant_type: 'client_credentials', client_id: 'oc_nobody', client_secret: 'whatever-it-is-here' });
    for (const r of [wrong, unknown]) {
      assertStatus(r, 401);
      assert.deepEqual(r.body, { error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    assertStatus(await tokenRequest({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'a person chose this secret' }), 200);
  });

  test('OAuthError for a missing or unsupported grant, and for a bad subject token', async () => {
    assert.equal((await tokenRequest({})).status, 400);
    assert.deepEqual(((await tokenRequest({})).body as { error: string }).error, 'invalid_request');
    assert.equal(((await tokenRequest({ grant_type: 'password', username: 'a', password: 'b' })).body as { error: string }).error, 'unsupported_grant_type');
    assert.equal(((await tokenRequest({ grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: 'x.y.z' })).body as { error: string }).error, 'invalid_grant');
  });

  test('a catalog token with a forged signature, or after expiry, is refused like any other', async () => {
    const created = await catalog.request('POST', '/management/v1/oauth-clients', { body: { name: 'pyiceberg', groups: ['analysts'] } });
    const { 'client-id': clientId, 'client-secret': secret } = created.body as { 'client-id': string; 'client-secret': string };
    const token = ((await tokenRequest({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret })).body as { access_token: string }).access_token;
    const [header, payload] = token.split('.');
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: `${header}.${payload}.${'A'.repeat(86)}` }));
    const claims = decodeJwt(token);
    const forged = `${header}.${b64({ ...claims, groups: ['admins'] })}.${token.split('.')[2]}`;
    assertUnauthorized(await catalog.request('GET', PROTECTED, { token: forged }));
  });
});

describe('bootstrap', () => {
  test('the first start created one admin key; another start creates none', async () => {
    const { bootstrapAdminKey } = await import('../../core/auth/bootstrap.js');
    const again = await bootstrapAdminKey(await catalog.context());
    assert.equal(again.created, false);
    assert.equal(again.keyId, catalog.adminKey!.split('.')[0]);
    const { readFile } = await import('node:fs/promises');
    assert.equal((await readFile(again.file, 'utf8')).trim(), catalog.adminKey);
  });

  test('the bootstrap key is CatalogAdmin: it may manage the catalog', async () => {
    assertStatus(await catalog.request('GET', '/management/v1/role-bindings'), 200);
  });
});
