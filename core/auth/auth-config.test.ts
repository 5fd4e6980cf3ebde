import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigurationError } from '../errors.js';
import { loadAuthConfig } from './auth-config.js';

const OIDC = { CATALOG_OIDC_ISSUER: 'https://idp.example.com', CATALOG_OIDC_AUDIENCE: 'iceberg' };

test('auth is on by default, with short-lived tokens and a small clock skew', () => {
  const config = loadAuthConfig({}, '');
  assert.equal(config.enabled, true);
  assert.equal(config.tokenLifetimeSeconds, 3600);
  assert.equal(config.clockSkewSeconds, 30);
  assert.equal(config.tokenIssuer, 'urn:iceberg-catalog:catalog');
  assert.equal(config.oidc, undefined);
});

test('CATALOG_AUTH=disabled turns it off; another value stops the process', () => {
  assert.equal(loadAuthConfig({ CATALOG_AUTH: 'disabled' }, '').enabled, false);
  assert.throws(() => loadAuthConfig({ CATALOG_AUTH: 'off' }, ''), ConfigurationError);
});

test('none and HS* can never be allowed', () => {
  for (const alg of ['none', 'HS256', 'HS512']) assert.throws(() => loadAuthConfig({ ...OIDC, CATALOG_OIDC_ALGORITHMS: `RS256,${alg}` }, ''), /not allowed/);
  assert.deepEqual(loadAuthConfig({ ...OIDC, CATALOG_OIDC_ALGORITHMS: 'ES256' }, '').oidc?.algorithms, ['ES256']);
});

test('OIDC needs an issuer and an audience; static keys must be public', () => {
  assert.throws(() => loadAuthConfig({ CATALOG_OIDC_AUDIENCE: 'x' }, ''), /CATALOG_OIDC_ISSUER/);
  assert.throws(() => loadAuthConfig({ CATALOG_OIDC_ISSUER: 'https://idp' }, ''), /CATALOG_OIDC_AUDIENCE/);
  assert.throws(() => loadAuthConfig({ ...OIDC, CATALOG_OIDC_JWKS: '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}' }, ''), /public keys only/);
  assert.equal(loadAuthConfig({ ...OIDC, CATALOG_OIDC_JWKS: '{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b"}]}' }, '').oidc?.staticKeys?.keys.length, 1);
});

test('admins, durations and the bootstrap key file are read from the environment', () => {
  const config = loadAuthConfig({ CATALOG_AUTH_ADMINS: 'group:platform, user:root', CATALOG_TOKEN_LIFETIME: 'PT15M', CATALOG_AUTH_CACHE_TTL: 'PT0S', CATALOG_DATA_DIR: '/tmp/x' }, 'p');
  assert.deepEqual(config.admins, [{ type: 'Group', id: 'platform' }, { type: 'User', id: 'root' }]);
  assert.equal(config.tokenLifetimeSeconds, 900);
  assert.equal(config.cacheTtlMs, 0);
  assert.equal(config.bootstrapKeyFile, '/tmp/x/admin-api-key');
  assert.equal(config.tokenIssuer, 'urn:iceberg-catalog:p');
  assert.throws(() => loadAuthConfig({ CATALOG_AUTH_ADMINS: 'alice' }, ''), /user:<id>/);
  assert.throws(() => loadAuthConfig({ CATALOG_TOKEN_LIFETIME: 'P2D' }, ''), ConfigurationError);
  assert.throws(() => loadAuthConfig({ CATALOG_TOKEN_LIFETIME: 'PT48H' }, ''), /between/);
});

test('a session lasts at most CATALOG_AUTH_MAX_SESSION_AGE from authentication (12 hours unless set)', () => {
  assert.equal(loadAuthConfig({}, '').maxSessionAgeSeconds, 12 * 3600);
  assert.equal(loadAuthConfig({ CATALOG_AUTH_MAX_SESSION_AGE: 'PT8H' }, '').maxSessionAgeSeconds, 8 * 3600);
  assert.throws(() => loadAuthConfig({ CATALOG_AUTH_MAX_SESSION_AGE: 'PT1M' }, ''), ConfigurationError);
  assert.throws(() => loadAuthConfig({ CATALOG_AUTH_MAX_SESSION_AGE: 'P30D' }, ''), ConfigurationError);
});
