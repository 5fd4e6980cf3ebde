import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../config.js';
import { ConfigurationError } from '../errors.js';

/** The access block of core/config.ts (CATALOG_DATA_ACCESS_ROLE_ARN and friends). */
const base = { CATALOG_DATA_DIR: '/tmp/access-config-test', CATALOG_AUTH: 'disabled' };
const ROLE = 'arn:aws:iam::123456789012:role/catalog-data-access';

test('defaults: no role (nothing vended), one hour, vended credentials preferred', () => {
  const { access } = loadConfig(base);
  assert.equal(access.dataAccessRoleArn, undefined);
  assert.equal(access.vendedCredentialsSeconds, 3600);
  assert.equal(access.preference, 'vended-credentials');
  assert.equal(access.publicUrl, undefined);
});

test('the duration is bounded by STS (900..43200) and refused at start otherwise', () => {
  assert.equal(loadConfig({ ...base, CATALOG_VENDED_CREDENTIALS_SECONDS: '900' }).access.vendedCredentialsSeconds, 900);
  assert.equal(loadConfig({ ...base, CATALOG_VENDED_CREDENTIALS_SECONDS: '43200' }).access.vendedCredentialsSeconds, 43200);
  for (const bad of ['899', '43201', '1h', '-5', '3600.5']) assert.throws(() => loadConfig({ ...base, CATALOG_VENDED_CREDENTIALS_SECONDS: bad }), ConfigurationError, bad);
});

test('a role must be a role ARN; RGW role ARNs (no account) are accepted', () => {
  assert.equal(loadConfig({ ...base, CATALOG_DATA_ACCESS_ROLE_ARN: ROLE }).access.dataAccessRoleArn, ROLE);
  assert.throws(() => loadConfig({ ...base, CATALOG_DATA_ACCESS_ROLE_ARN: 'catalog-data-access' }), ConfigurationError);
  const rgw = loadConfig({ ...base, CATALOG_DATA_ACCESS_ROLE_ARN: 'arn:aws:iam:::role/catalog-data-access', CATALOG_STS_ENDPOINT: 'http://127.0.0.1:7480' });
  assert.equal(rgw.access.stsEndpoint, 'http://127.0.0.1:7480');
});

test('a role with an S3-compatible endpoint needs that store STS endpoint', () => {
  assert.throws(() => loadConfig({ ...base, S3_ENDPOINT: 'http://127.0.0.1:7480', CATALOG_STORE: 'fs', CATALOG_DATA_ACCESS_ROLE_ARN: ROLE }), /CATALOG_STS_ENDPOINT/);
});

test('the public URL must be an http(s) URL; a trailing slash is dropped', () => {
  assert.equal(loadConfig({ ...base, CATALOG_PUBLIC_URL: 'https://catalog.example.com/prod/' }).access.publicUrl, 'https://catalog.example.com/prod');
  assert.throws(() => loadConfig({ ...base, CATALOG_PUBLIC_URL: 'catalog.example.com' }), ConfigurationError);
  assert.throws(() => loadConfig({ ...base, CATALOG_ACCESS_DELEGATION_PREFERENCE: 'both' }), ConfigurationError);
});
