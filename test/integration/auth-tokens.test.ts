import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt, SignJWT } from 'jose';
import { authServices } from '../../core/auth/auth-services.js';
import { INVALID_CREDENTIALS, MISSING_CREDENTIALS } from '../../core/auth/authenticator.js';
import { ARGON2_BURST, CLIENT_FAILURES_BEFORE_LOCKOUT, CLIENT_LOCKOUT_WINDOW_MS, MAX_QUEUED_CHECKS } from '../../core/auth/oauth-clients.js';
import { CLIENT_AUTHENTICATION_FAILED, THROTTLED, type OAuthErrorCode } from '../../core/auth/oauth-token.js';
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

/**
 * Every refusal at the token endpoint, whichever layer makes it (body parsing, the grant, the
 * secret-hashing throttle, a fault), is the spec's OAuthError with a status getToken lists (400,
 * 401; 5XX for a fault), never the Iceberg error model, never 415 or 429, and never cached.
 */
describe('OAuthError answers at /v1/oauth/tokens (RFC 6749 §5.1, §5.2)', () => {
  const TOKENS = '/v1/oauth/tokens';
  const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const post = (rawBody: string, headers: Record<string, string> = FORM) => catalog.request('POST', TOKENS, { token: null, rawBody, headers });
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
  const wrongGenerated = (i: number) => `ocs_${String(i).padStart(43, 'A')}`;

  function assertOAuthError(response: CatalogResponse, status: 400 | 401 | 500, error: OAuthErrorCode): void {
    assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${response.text}`);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const body = response.body as Record<string, unknown>;
    assert.equal(body['error'], error, response.text);
    assert.equal(typeof body['error_description'], 'string');
    assert.deepEqual(Object.keys(body).filter((k) => !['error', 'error_description', 'error_uri'].includes(k)), [], 'only OAuthError fields');
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.headers.get('pragma'), 'no-cache');
    if (status === 401) assert.ok(response.headers.get('www-authenticate'), 'a 401 carries a challenge');
  }

  async function aChosenSecretClient(name: string): Promise<{ clientId: string; secret: string }> {
    const secret = `${name} is a secret a person chose`;
    const created = await catalog.request('POST', '/management/v1/oauth-clients', { body: { name, secret } });
    assertStatus(created, 200);
    return { clientId: (created.body as { 'client-id': string })['client-id'], secret };
  }

  test('a JSON body (application/json): 400 invalid_request, was 415', async () => {
    const r = await catalog.request('POST', TOKENS, { token: null, body: { grant_type: 'client_credentials', client_id: 'a', client_secret: 'b' } });
    assertOAuthError(r, 400, 'invalid_request');
  });

  test('another content type (text/plain), or a body with none: 400 invalid_request, was 415', async () => {
    assertOAuthError(await post(form({ grant_type: 'client_credentials' }), { 'content-type': 'text/plain' }), 400, 'invalid_request');
    const r = await fetch(catalog.url + TOKENS, { method: 'POST', body: new Blob([form({ grant_type: 'client_credentials' })]) });
    assertOAuthError({ status: r.status, headers: r.headers, text: '', body: (await r.json()) as CatalogResponse['body'] }, 400, 'invalid_request');
  });

  test('a form that does not parse (bad percent-encoding) or is not UTF-8: 400 invalid_request', async () => {
    assertOAuthError(await post('grant_type=client%ZZcredentials'), 400, 'invalid_request');
    const r = await fetch(catalog.url + TOKENS, { method: 'POST', headers: FORM, body: Buffer.from([0x67, 0x72, 0x61, 0x6e, 0x74, 0x3d, 0xff, 0xfe]) });
    assertOAuthError({ status: r.status, headers: r.headers, text: '', body: (await r.json()) as CatalogResponse['body'] }, 400, 'invalid_request');
  });

  test('a body over the form limit (64 KiB): 400 invalid_request', async () => {
    assertOAuthError(await post(form({ grant_type: 'client_credentials', padding: 'x'.repeat(70 * 1024) })), 400, 'invalid_request');
  });

  test('a repeated parameter: 400 invalid_request', async () => {
    assertOAuthError(await post(`${form({ grant_type: 'client_credentials', client_id: 'a', client_secret: 'b' })}&client_id=c`), 400, 'invalid_request');
  });

  test('no grant_type: 400 invalid_request', async () => {
    assertOAuthError(await post(''), 400, 'invalid_request');
    assertOAuthError(await post(form({ client_id: 'a', client_secret: 'b' })), 400, 'invalid_request');
  });

  test('an unknown grant_type: 400 unsupported_grant_type', async () => {
    assertOAuthError(await post(form({ grant_type: 'password', username: 'a', password: 'b' })), 400, 'unsupported_grant_type');
  });

  test('no client credentials: 401 invalid_client, challenged with Basic', async () => {
    const r = await post(form({ grant_type: 'client_credentials' }));
    assertOAuthError(r, 401, 'invalid_client');
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm=/);
  });

  test('malformed Basic credentials: 401 invalid_client, challenged with Basic', async () => {
    const r = await post(form({ grant_type: 'client_credentials' }), { ...FORM, authorization: `Basic ${Buffer.from('no-colon-here').toString('base64')}` });
    assertOAuthError(r, 401, 'invalid_client');
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm=/);
  });

  test('an unknown client: 401 invalid_client', async () => {
    const r = await post(form({ grant_type: 'client_credentials', client_id: 'oc_nobody_here', client_secret: wrongGenerated(1) }));
    assertOAuthError(r, 401, 'invalid_client');
    assert.equal((r.body as { error_description: string }).error_description, CLIENT_AUTHENTICATION_FAILED);
  });

  test('a wrong secret in the Authorization header: 401 invalid_client with a Basic challenge (RFC 6749 §5.2)', async () => {
    const created = await catalog.request('POST', '/management/v1/oauth-clients', { body: { name: 'header-auth' } });
    const clientId = (created.body as { 'client-id': string })['client-id'];
    const r = await post(form({ grant_type: 'client_credentials' }), { ...FORM, authorization: basic(clientId, wrongGenerated(2)) });
    assertOAuthError(r, 401, 'invalid_client');
    assert.equal((r.body as { error_description: string }).error_description, CLIENT_AUTHENTICATION_FAILED);
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic realm="iceberg-catalog"/);
    assert.equal(r.headers.get('retry-after'), null, 'a plain failure is no throttle');
  });

  test('a Bearer token where client credentials belong: 401 invalid_client, challenged with Bearer', async () => {
    const r = await post(form({ grant_type: 'client_credentials' }), { ...FORM, authorization: 'Bearer some-token' });
    assertOAuthError(r, 401, 'invalid_client');
    assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer realm=/);
  });

  test('an unsupported token exchange (subject token type, or no subject token): 400 invalid_request; a bad subject token: 400 invalid_grant', async () => {
    const exchange = 'urn:ietf:params:oauth:grant-type:token-exchange';
    assertOAuthError(await post(form({ grant_type: exchange, subject_token: 'x.y.z', subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' })), 400, 'invalid_request');
    assertOAuthError(await post(form({ grant_type: exchange })), 400, 'invalid_request');
    assertOAuthError(await post(form({ grant_type: exchange, subject_token: 'x.y.z' })), 400, 'invalid_grant');
  });

  test('a server fault: 500 in the OAuthError model, not the Iceberg one', async () => {
    const objects = (await catalog.context()).records.objects;
    const original = objects.get;
    objects.get = () => Promise.reject(new Error('injected store outage'));
    try {
      const r = await post(form({ grant_type: 'client_credentials', client_id: 'oc_fault', client_secret: wrongGenerated(3) }));
      assertOAuthError(r, 500, 'invalid_request');
      assert.match((r.body as { error_description: string }).error_description, /error id/);
    } finally {
      objects.get = original;
    }
  });

  test('a locked-out client id: 401 invalid_client saying so, Retry-After until the lockout ends, and no hashing, even for the right secret', async () => {
    const { clientId, secret } = await aChosenSecretClient('locked');
    // Wrong secrets of the generated shape count against the id and cost no chosen-secret check.
    for (let i = 0; i < CLIENT_FAILURES_BEFORE_LOCKOUT; i++) assertOAuthError(await post(form({ grant_type: 'client_credentials', client_id: clientId, client_secret: wrongGenerated(i) })), 401, 'invalid_client');
    const oauthClients = authServices(await catalog.context()).oauthClients;
    const checks = oauthClients.chosenSecretChecks;
    const r = await post(form({ grant_type: 'client_credentials' }), { ...FORM, authorization: basic(clientId, secret) });
    assertOAuthError(r, 401, 'invalid_client');
    assert.equal((r.body as { error_description: string }).error_description, THROTTLED);
    const retryAfter = Number(r.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= CLIENT_LOCKOUT_WINDOW_MS / 1000, `Retry-After ${retryAfter}`);
    assert.match(r.headers.get('www-authenticate') ?? '', /^Basic /);
    assert.equal(oauthClients.chosenSecretChecks, checks, 'refused before any chosen-secret check');
  });

  // Last in the file: it drains the container's chosen-secret ration.
  test('a burst of wrong chosen secrets: the ration bounds the hashing; the rest are 401 invalid_client with Retry-After', async () => {
    const oauthClients = authServices(await catalog.context()).oauthClients;
    const checks = oauthClients.chosenSecretChecks;
    const burst = 3 * (ARGON2_BURST + MAX_QUEUED_CHECKS);
    const answers = await Promise.all(Array.from({ length: burst }, (_, i) => post(form({ grant_type: 'client_credentials', client_id: `oc_burst_${i}`, client_secret: `wrong chosen secret ${i}` }))));
    let throttled = 0;
    for (const r of answers) {
      assertOAuthError(r, 401, 'invalid_client');
      const description = (r.body as { error_description: string }).error_description;
      if (description === THROTTLED) {
        throttled++;
        assert.ok(Number(r.headers.get('retry-after')) >= 1, 'a throttle says when to come back');
      } else {
        assert.equal(description, CLIENT_AUTHENTICATION_FAILED);
        assert.equal(r.headers.get('retry-after'), null);
      }
    }
    const hashed = oauthClients.chosenSecretChecks - checks;
    assert.equal(hashed, burst - throttled, 'one check per answered guess, none per throttled one');
    assert.ok(throttled > 0 && hashed < burst, `${hashed} of ${burst} guesses hashed`);
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
