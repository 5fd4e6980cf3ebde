import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JwtVerifier } from './jwt-verifier.js';
import { ARGON2_BURST, CLIENT_FAILURES_BEFORE_LOCKOUT, CLIENT_LOCKOUT_WINDOW_MS, OAuthClients } from './oauth-clients.js';
import {
  ACCESS_TOKEN_TYPE,
  CLIENT_AUTHENTICATION_FAILED,
  CLIENT_CREDENTIALS,
  grantToken,
  oauthErrorHeaders,
  THROTTLED,
  TOKEN_EXCHANGE,
  type OAuthErrorCode,
  type TokenGrantResult,
} from './oauth-token.js';
import { verifyClientSecret } from './secret-hashing.js';
import { anAuthFixture } from './testing/fixtures.js';
import { TokenIssuer } from './token-issuer.js';

/**
 * The token grant's refusals: each is the spec's OAuthError with a status getToken documents (400 or
 * 401), never 429 and never a code outside RFC 6749 §5.2's six. The HTTP side (content type, body
 * size, headers) is in test/integration/auth-tokens.test.ts.
 */
const ISSUER = 'https://catalog.test';
const CHOSEN = 'a person chose this secret';

function aGrant() {
  const fx = anAuthFixture();
  const oauthClients = new OAuthClients(fx.records, fx.keys, fx.secrets, fx.clock, 10_000, verifyClientSecret);
  const tokens = new TokenIssuer(fx.secrets, ISSUER, 3600, fx.clock);
  const jwts = new JwtVerifier({ tokenIssuer: ISSUER, clockSkewSeconds: 30, clock: fx.clock, secrets: fx.secrets, clientExists: (id) => oauthClients.exists(id) });
  const services = { oauthClients, tokens, jwts };
  const grant = (fields: Record<string, string>, authorization?: string) =>
    grantToken(services, { maxSessionAgeSeconds: 12 * 3600, now: () => fx.clock.now() }, new Map(Object.entries(fields)), authorization);
  return { fx, oauthClients, tokens, grant };
}

function assertRefused(result: TokenGrantResult, status: 400 | 401, error: OAuthErrorCode): void {
  assert.equal(result.ok, false, 'refused');
  if (result.ok) return;
  assert.equal(result.status, status);
  assert.equal(result.body.error, error);
  assert.equal(typeof result.body.error_description, 'string');
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

test('no grant_type: 400 invalid_request', async () => {
  assertRefused(await aGrant().grant({}), 400, 'invalid_request');
  assertRefused(await aGrant().grant({ grant_type: '' }), 400, 'invalid_request');
});

test('an unknown grant_type: 400 unsupported_grant_type', async () => {
  assertRefused(await aGrant().grant({ grant_type: 'password', username: 'a', password: 'b' }), 400, 'unsupported_grant_type');
});

test('client credentials missing, in the form or in a Basic header: 401 invalid_client', async () => {
  const { grant } = aGrant();
  assertRefused(await grant({ grant_type: CLIENT_CREDENTIALS }), 401, 'invalid_client');
  assertRefused(await grant({ grant_type: CLIENT_CREDENTIALS, client_id: 'oc_x' }), 401, 'invalid_client');
  assertRefused(await grant({ grant_type: CLIENT_CREDENTIALS }, 'Basic !!!not-base64'), 401, 'invalid_client');
  assertRefused(await grant({ grant_type: CLIENT_CREDENTIALS }, `Basic ${Buffer.from('no-colon').toString('base64')}`), 401, 'invalid_client');
});

test('a form client_id that differs from the Basic credentials (two authentication methods): 400 invalid_request', async () => {
  assertRefused(await aGrant().grant({ grant_type: CLIENT_CREDENTIALS, client_id: 'oc_a' }, basic('oc_b', 'some secret of a length')), 400, 'invalid_request');
});

test('an unknown client and a wrong secret: the same 401 invalid_client', async () => {
  const { oauthClients, grant } = aGrant();
  const { record } = await oauthClients.create({ name: 'spark' }, 'admin');
  const unknown = await grant({ grant_type: CLIENT_CREDENTIALS, client_id: 'oc_nobody', client_secret: CHOSEN });
  const wrong = await grant({ grant_type: CLIENT_CREDENTIALS }, basic(record.id, `ocs_${'A'.repeat(43)}`));
  for (const r of [unknown, wrong]) {
    assertRefused(r, 401, 'invalid_client');
    assert.equal(!r.ok && r.body.error_description, CLIENT_AUTHENTICATION_FAILED);
    assert.equal(!r.ok && r.retryAfterSeconds, undefined, 'a plain failure is no throttle');
  }
});

test('token exchange: no subject token or an unsupported type is 400 invalid_request; a bad token is 400 invalid_grant', async () => {
  const { grant } = aGrant();
  assertRefused(await grant({ grant_type: TOKEN_EXCHANGE }), 400, 'invalid_request');
  assertRefused(await grant({ grant_type: TOKEN_EXCHANGE, subject_token: 'x.y.z', subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' }), 400, 'invalid_request');
  assertRefused(await grant({ grant_type: TOKEN_EXCHANGE, subject_token: 'x.y.z', subject_token_type: ACCESS_TOKEN_TYPE }), 400, 'invalid_grant');
});

test('token exchange with less than a minute of session left: 400 invalid_grant', async () => {
  const { fx, tokens, grant } = aGrant();
  const now = Math.floor(fx.clock.now() / 1000);
  const { token } = await tokens.issue({ subject: 'alice', groups: [], scope: 'catalog', authTime: now - 12 * 3600 + 30, sessionEndsAt: now + 30 });
  assertRefused(await grant({ grant_type: TOKEN_EXCHANGE, subject_token: token }), 400, 'invalid_grant');
});

test('a locked-out client id: 401 invalid_client saying so, with Retry-After until the lockout ends, and no hashing', async () => {
  const { fx, oauthClients, grant } = aGrant();
  const { record } = await oauthClients.create({ name: 'trino', secret: CHOSEN }, 'admin');
  // Wrong secrets of the generated shape: they count against the id and cost no chosen-secret check.
  for (let i = 0; i < CLIENT_FAILURES_BEFORE_LOCKOUT; i++) {
    assertRefused(await grant({ grant_type: CLIENT_CREDENTIALS, client_id: record.id, client_secret: `ocs_${String(i).padStart(43, 'A')}` }), 401, 'invalid_client');
  }
  fx.clock.advance(60_000);
  const checks = oauthClients.chosenSecretChecks;
  const locked = await grant({ grant_type: CLIENT_CREDENTIALS, client_id: record.id, client_secret: CHOSEN });
  assertRefused(locked, 401, 'invalid_client');
  assert.ok(!locked.ok);
  assert.equal(locked.body.error_description, THROTTLED);
  assert.equal(locked.retryAfterSeconds, (CLIENT_LOCKOUT_WINDOW_MS - 60_000) / 1000);
  assert.equal(oauthClients.chosenSecretChecks, checks, 'refused before hashing, even for the right secret');
});

test('chosen-secret checks beyond the container ration: 401 invalid_client with Retry-After 1, and no hashing', async () => {
  const { oauthClients, grant } = aGrant();
  for (let i = 0; i < ARGON2_BURST; i++) assertRefused(await grant({ grant_type: CLIENT_CREDENTIALS, client_id: `oc_guess_${i}`, client_secret: CHOSEN }), 401, 'invalid_client');
  assert.equal(oauthClients.chosenSecretChecks, ARGON2_BURST);
  const rationed = await grant({ grant_type: CLIENT_CREDENTIALS, client_id: 'oc_one_more', client_secret: CHOSEN });
  assertRefused(rationed, 401, 'invalid_client');
  assert.ok(!rationed.ok);
  assert.equal(rationed.body.error_description, THROTTLED);
  assert.equal(rationed.retryAfterSeconds, 1);
  assert.equal(oauthClients.chosenSecretChecks, ARGON2_BURST);
});

test('error headers: no-store always; a 401 challenges in the scheme the client used, else Basic; Retry-After on a throttle', () => {
  assert.deepEqual(oauthErrorHeaders(400, undefined), { 'cache-control': 'no-store', pragma: 'no-cache' });
  assert.match(oauthErrorHeaders(401, 'Basic YTpi')['www-authenticate'] ?? '', /^Basic realm="iceberg-catalog"/);
  assert.match(oauthErrorHeaders(401, 'Bearer abc')['www-authenticate'] ?? '', /^Bearer realm="iceberg-catalog"/);
  assert.match(oauthErrorHeaders(401, undefined)['www-authenticate'] ?? '', /^Basic /);
  assert.equal(oauthErrorHeaders(400, 'Basic YTpi')['www-authenticate'], undefined);
  assert.equal(oauthErrorHeaders(401, undefined, 42)['retry-after'], '42');
});
