import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.js';
import { ConfigurationError } from './errors.js';

test('no settings: local files in ./.data with one default warehouse under it', () => {
  const config = loadConfig({});
  assert.equal(config.store.kind, 'fs');
  assert.equal(config.defaultWarehouse, 'default');
  assert.match(config.warehouses[0]!.location, /^file:\/\/.*\/\.data\/warehouse$/);
  assert.equal(config.pathEncoding, 'raw');
});

test('an S3 endpoint selects the S3 store with path-style access', () => {
  const config = loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:7480', CATALOG_BUCKET: 'cat', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b' });
  assert.equal(config.store.kind, 's3');
  if (config.store.kind === 's3') assert.equal(config.store.bucket, 'cat');
  assert.equal(config.s3.forcePathStyle, true);
  assert.deepEqual(config.s3.credentials, { accessKeyId: 'a', secretAccessKey: 'b' });
  assert.equal(config.warehouses[0]!.location, 's3://cat/warehouse');
});

test('warehouses are parsed from name=location pairs', () => {
  const config = loadConfig({ CATALOG_WAREHOUSES: 'analytics=s3://lake/analytics/, raw=s3://lake/raw', CATALOG_DEFAULT_WAREHOUSE: 'raw' });
  assert.deepEqual(config.warehouses, [
    { name: 'analytics', location: 's3://lake/analytics' },
    { name: 'raw', location: 's3://lake/raw' },
  ]);
  assert.equal(config.defaultWarehouse, 'raw');
});

test('bad values fail at load with a message naming the setting', () => {
  const cases: Record<string, string>[] = [
    { CATALOG_STORE: 'mongo' },
    { CATALOG_WAREHOUSES: 'bad name=s3://x' },
    { CATALOG_WAREHOUSES: 'a=not-a-uri' },
    { CATALOG_WAREHOUSES: 'a=s3://x,a=s3://y' },
    { CATALOG_DEFAULT_WAREHOUSE: 'missing' },
    { S3_ENDPOINT: 'http://x', S3_ACCESS_KEY: 'only-one' },
    { S3_FORCE_PATH_STYLE: 'maybe', S3_ENDPOINT: 'http://x' },
    { CATALOG_PATH_ENCODING: 'double' },
    { CATALOG_NAMESPACE_SEPARATOR: '/' },
  ];
  for (const env of cases) assert.throws(() => loadConfig(env), ConfigurationError, JSON.stringify(env));
});
