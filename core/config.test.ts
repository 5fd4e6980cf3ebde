import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.js';
import { ConfigurationError } from './errors.js';

const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');

test('no settings: local files in ./.data with one default warehouse under it', () => {
  const config = loadConfig({});
  assert.equal(config.store.kind, 'fs');
  assert.equal(config.defaultWarehouse, 'default');
  assert.match(config.warehouses[0]!.location, /^file:\/\/.*\/\.data\/warehouse$/);
  assert.equal(config.pathEncoding, 'raw');
});

test('an S3 endpoint selects the S3 store with path-style access', () => {
  const config = loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:7480', CATALOG_BUCKET: 'cat', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'b', CATALOG_MASTER_KEY: MASTER_KEY });
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
    { CATALOG_PURGE_QUEUE_URL: 'purge-queue' },
    { CATALOG_JOB_QUEUE_URL: 'job-queue' },
  ];
  for (const env of cases) assert.throws(() => loadConfig(env), ConfigurationError, JSON.stringify(env));
});

test('jobs go to the SQS queue CATALOG_JOB_QUEUE_URL names; without one they run in process', () => {
  assert.equal(loadConfig({}).jobQueueUrl, undefined);
  assert.equal(loadConfig({ CATALOG_JOB_QUEUE_URL: ' ' }).jobQueueUrl, undefined);
  const url = 'https://sqs.eu-west-1.amazonaws.com/111122223333/jobs';
  assert.equal(loadConfig({ CATALOG_JOB_QUEUE_URL: url }).jobQueueUrl, url);
});

test('CATALOG_PURGE_QUEUE_URL, the former name, still names the job queue; the new name wins', () => {
  const old = 'https://sqs.eu-west-1.amazonaws.com/111122223333/purge';
  const url = 'https://sqs.eu-west-1.amazonaws.com/111122223333/jobs';
  assert.equal(loadConfig({ CATALOG_PURGE_QUEUE_URL: old }).jobQueueUrl, old);
  assert.equal(loadConfig({ CATALOG_PURGE_QUEUE_URL: old, CATALOG_JOB_QUEUE_URL: url }).jobQueueUrl, url);
});

test('records are encrypted by default: a local master key file in the data folder, the catalog named by CATALOG_ID', () => {
  const config = loadConfig({ CATALOG_DATA_DIR: '/srv/catalog' });
  assert.deepEqual(config.encryption, { mode: 'local', masterKeyFile: '/srv/catalog/master-keys.txt', allowPlaintextRecords: false });
  assert.equal(config.catalogId, 'catalog');
  assert.equal(loadConfig({ CATALOG_PREFIX: 'team-a' }).catalogId, 'team-a');
  assert.equal(loadConfig({ CATALOG_PREFIX: 'team-a', CATALOG_ID: 'acme' }).catalogId, 'acme');
  const withKey = loadConfig({ CATALOG_MASTER_KEY: MASTER_KEY });
  assert.equal(withKey.encryption.mode === 'local' && withKey.encryption.masterKey, MASTER_KEY);
  const withFile = loadConfig({ CATALOG_MASTER_KEY_FILE: '/etc/catalog/keys.txt' });
  assert.equal(withFile.encryption.mode === 'local' && withFile.encryption.masterKeyFile, '/etc/catalog/keys.txt');
});

test('a KMS key id selects KMS: region from CATALOG_KMS_REGION, else the AWS region', () => {
  const config = loadConfig({ CATALOG_KMS_KEY_ID: 'alias/catalog', AWS_REGION: 'eu-west-1', CATALOG_BUCKET: 'cat' });
  assert.deepEqual(config.encryption, { mode: 'kms', kmsKeyId: 'alias/catalog', region: 'eu-west-1', allowPlaintextRecords: false });
  const local = loadConfig({ CATALOG_ENCRYPTION: 'kms', CATALOG_KMS_KEY_ID: 'k', CATALOG_KMS_REGION: 'us-west-2', CATALOG_KMS_ENDPOINT: 'http://127.0.0.1:4566' });
  assert.deepEqual(local.encryption, { mode: 'kms', kmsKeyId: 'k', region: 'us-west-2', endpoint: 'http://127.0.0.1:4566', allowPlaintextRecords: false });
});

test('plaintext records only when explicitly allowed; the flag alone lets an encrypting catalog read old plaintext records', () => {
  assert.deepEqual(loadConfig({ CATALOG_ENCRYPTION: 'none', CATALOG_ALLOW_PLAINTEXT_RECORDS: 'true', CATALOG_BUCKET: 'cat' }).encryption, { mode: 'none' });
  const migrating = loadConfig({ CATALOG_ALLOW_PLAINTEXT_RECORDS: 'true' });
  assert.equal(migrating.encryption.mode === 'local' && migrating.encryption.allowPlaintextRecords, true);
});

test('encryption settings that do not add up stop the start with a message naming them, never the key', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ CATALOG_ENCRYPTION: 'rot13' }, /CATALOG_ENCRYPTION must be one of kms, local, none/],
    [{ CATALOG_ENCRYPTION: 'none' }, /CATALOG_ALLOW_PLAINTEXT_RECORDS=true/],
    [{ CATALOG_ENCRYPTION: 'none', CATALOG_ALLOW_PLAINTEXT_RECORDS: 'true', CATALOG_MASTER_KEY: MASTER_KEY }, /CATALOG_MASTER_KEY is set but CATALOG_ENCRYPTION=none/],
    [{ CATALOG_ENCRYPTION: 'kms' }, /needs CATALOG_KMS_KEY_ID/],
    [{ CATALOG_KMS_KEY_ID: 'k', CATALOG_MASTER_KEY: MASTER_KEY }, /CATALOG_MASTER_KEY is for CATALOG_ENCRYPTION=local/],
    [{ CATALOG_KMS_KEY_ID: 'k', CATALOG_KMS_ENDPOINT: 'localhost:4566' }, /CATALOG_KMS_ENDPOINT/],
    [{ CATALOG_ENCRYPTION: 'local', CATALOG_KMS_KEY_ID: 'k' }, /CATALOG_KMS_KEY_ID is set but CATALOG_ENCRYPTION=local/],
    [{ CATALOG_MASTER_KEY: MASTER_KEY, CATALOG_MASTER_KEY_FILE: '/k' }, /not both/],
    [{ CATALOG_MASTER_KEY: 'c2hvcnQ=' }, /CATALOG_MASTER_KEY: master key #1 is not the base64 encoding of 32 bytes/],
    [{ CATALOG_BUCKET: 'cat' }, /S3 store needs a key .* CATALOG_KMS_KEY_ID .* CATALOG_MASTER_KEY/],
    [{ CATALOG_ALLOW_PLAINTEXT_RECORDS: 'perhaps' }, /CATALOG_ALLOW_PLAINTEXT_RECORDS must be true or false/],
    [{ CATALOG_ID: 'a\nb' }, /CATALOG_ID/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigurationError && message.test(e.message) && !e.message.includes(MASTER_KEY), JSON.stringify(env));
  }
});

test('a warehouse may not be named after a word that follows /v1/ in routes without a prefix', () => {
  for (const name of ['namespaces', 'tables', 'views', 'transactions', 'config', 'oauth']) {
    assert.throws(() => loadConfig({ CATALOG_WAREHOUSES: `${name}=s3://lake/${name}` }), (error: unknown) => {
      assert.ok(error instanceof ConfigurationError);
      assert.match(error.message, new RegExp(`warehouse name '${name}' is reserved.*namespaces, oauth, tables, transactions, views`));
      return true;
    });
  }
  assert.equal(loadConfig({ CATALOG_WAREHOUSES: 'Namespaces=s3://lake/n,namespaces2=s3://lake/m' }).warehouses.length, 2, 'only the exact words are reserved');
});
