import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../../core/config.js';
import {
  DATA_ACCESS_ROLE_GRANTS,
  dataAccessRoleName,
  dataAccessTrustPolicy,
  MAX_CHAINED_SESSION_SECONDS,
  roleArn,
  vendingFunctions,
} from '../../../infra/data-access.js';
import { DATA_ACCESS_ROLE_VARIABLE, functionEnvironment, passedThroughSettings, VENDED_CREDENTIALS_SECONDS_VARIABLE } from '../../../infra/environment.js';
import { ALL_FUNCTIONS, functionName, ROUTE_FUNCTIONS } from '../../../infra/functions.js';
import { accessOf, DELEGATION_ACCESS, grantsFor, OPERATION_ACCESS, policyDocument, policyStatements, targetArn, type Grant } from '../../../infra/permissions.js';

/** Access delegation on AWS (issue 11): the data-access role, who may assume it, and what the sign function may sign. */

const ARNS = {
  catalogBucket: 'arn:aws:s3:::cat',
  warehouseBucket: 'arn:aws:s3:::wh',
  recordKey: 'arn:aws:kms:eu-west-1:111122223333:key/k',
  jobQueue: 'arn:aws:sqs:eu-west-1:111122223333:jobs',
  dataAccessRole: 'arn:aws:iam::111122223333:role/iceberg-catalog-test-eu-west-1-data-access',
};
const RESOURCES = {
  catalogBucket: 'cat',
  warehouseBucket: 'wh',
  recordKeyArn: ARNS.recordKey,
  jobQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/jobs',
  dataAccessRoleArn: ARNS.dataAccessRole,
};

/** The operations that hand out credentials, as issue 11 names them. */
const VENDING = ['createTable', 'loadCredentials', 'loadTable', 'registerTable'];
const OBJECT_ACTIONS = ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'];

function flat(grants: readonly Grant[]): string[] {
  return policyStatements(grants, (target) => targetArn(target, ARNS))
    .flatMap((s) => s.actions.flatMap((action) => s.resources.map((resource) => `${action} ${resource}`)))
    .sort();
}

test('the data-access role may do the S3 object actions on the warehouse bucket, and nothing else', () => {
  assert.deepEqual(flat(DATA_ACCESS_ROLE_GRANTS), [...OBJECT_ACTIONS.map((a) => `${a} arn:aws:s3:::wh/*`), 's3:ListBucket arn:aws:s3:::wh'].sort());
  const document = policyDocument(policyStatements(DATA_ACCESS_ROLE_GRANTS, (target) => targetArn(target, ARNS)));
  assert.equal(document.Version, '2012-10-17');
  for (const statement of document.Statement) {
    assert.equal(statement.Effect, 'Allow');
    for (const resource of statement.Resource) assert.ok(resource === ARNS.warehouseBucket || resource.startsWith(`${ARNS.warehouseBucket}/`), resource);
    for (const action of statement.Action) assert.doesNotMatch(action, /\*/);
  }
});

test('its trust policy names exactly the vending functions\' roles, for AssumeRole only', () => {
  const roles = ['arn:aws:iam::111122223333:role/LoadTableRole-b', 'arn:aws:iam::111122223333:role/CreateTableRole-a', 'arn:aws:iam::111122223333:role/LoadTableRole-b'];
  const trust = dataAccessTrustPolicy(roles);
  assert.deepEqual(trust, {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111122223333:role/CreateTableRole-a', 'arn:aws:iam::111122223333:role/LoadTableRole-b'] }, Action: 'sts:AssumeRole' }],
  });
  // No account root, no service, no wildcard: nobody else may be granted the role by an identity policy.
  const text = JSON.stringify(trust);
  assert.doesNotMatch(text, /:root|\*|Service|TagSession/);
  assert.throws(() => dataAccessTrustPolicy([]), /at least one/);
});

test('only loadTable, createTable, registerTable and loadCredentials vend; each may only assume the data-access role', () => {
  const declared = Object.entries(OPERATION_ACCESS).filter(([, access]) => access.includes('vends-credentials')).map(([id]) => id).sort();
  assert.deepEqual(declared, VENDING);
  for (const id of Object.keys(OPERATION_ACCESS)) {
    const onRole = grantsFor(accessOf(id as never)).filter((g) => g.target === 'dataAccessRole');
    assert.deepEqual(onRole, VENDING.includes(id) ? [{ target: 'dataAccessRole', actions: ['sts:AssumeRole'] }] : [], id);
  }
  // The trust policy follows the route table: a vending route is trusted once it is live.
  const live = ROUTE_FUNCTIONS.filter((f) => f.live && VENDING.includes(f.operationId!)).map((f) => f.name).sort();
  assert.deepEqual(vendingFunctions().map((f) => f.name).sort(), live);
  assert.ok(live.includes('LoadTable') && live.includes('CreateTable') && live.includes('RegisterTable'));
  for (const fn of ALL_FUNCTIONS) {
    const deployed = flat(fn.grants).filter((entry) => entry.startsWith('sts:') || entry.includes(':iam::'));
    assert.deepEqual(deployed, vendingFunctions().includes(fn) ? [`sts:AssumeRole ${ARNS.dataAccessRole}`] : [], fn.name);
  }
});

test('the sign function may sign the object actions on the warehouse bucket and nothing on the catalog bucket beyond a reader\'s', () => {
  const sign = grantsFor(accessOf('signRequest'));
  const reader = grantsFor(accessOf('tableExists'));
  const warehouse = flat(sign).filter((entry) => entry.includes('arn:aws:s3:::wh'));
  assert.deepEqual(warehouse, flat(DATA_ACCESS_ROLE_GRANTS));
  const elsewhere = flat(sign).filter((entry) => !entry.includes('arn:aws:s3:::wh'));
  assert.deepEqual(elsewhere, flat(reader), 'besides the warehouse objects: exactly what a read route holds');
  assert.ok(!elsewhere.some((entry) => /^s3:(PutObject|DeleteObject) arn:aws:s3:::cat\/wh/.test(entry)), 'no write to catalog state');
  const fn = ROUTE_FUNCTIONS.find((f) => f.operationId === 'signRequest')!;
  assert.deepEqual(fn.grants, fn.live ? sign : [], 'granted while live, nothing while planned');
});

test('no other function gained anything from delegation', () => {
  for (const [id, access] of Object.entries(OPERATION_ACCESS)) {
    const delegation = access.filter((a) => DELEGATION_ACCESS.includes(a));
    const expected = VENDING.includes(id) ? ['vends-credentials'] : id === 'signRequest' ? ['signs-table-requests'] : [];
    assert.deepEqual(delegation, expected, id);
  }
  // The multipart actions only signing uses appear in no other function.
  for (const fn of ALL_FUNCTIONS.filter((f) => f.name !== functionName('signRequest'))) {
    assert.deepEqual(flat(fn.grants).filter((entry) => /^s3:(AbortMultipartUpload|ListMultipartUploadParts)/.test(entry)), [], fn.name);
  }
});

test('vending functions, and only they, learn the role ARN; the configuration they load accepts it', () => {
  for (const fn of ALL_FUNCTIONS) {
    const env = functionEnvironment(fn.access, RESOURCES);
    assert.equal(env[DATA_ACCESS_ROLE_VARIABLE], fn.access.includes('vends-credentials') ? ARNS.dataAccessRole : undefined, fn.name);
    if (fn.access.includes('vends-credentials')) assert.equal(loadConfig(env).access.dataAccessRoleArn, ARNS.dataAccessRole, fn.name);
  }
  // `sst dev` stores on MinIO, whose STS is not AWS's: no role there, so nothing is vended.
  const dev = { endpoint: 'http://127.0.0.1:9000', accessKey: 'minioadmin', secretKey: 'minioadmin', catalogBucket: 'dev-cat', warehouseBucket: 'dev-wh' };
  for (const fn of vendingFunctions()) {
    const env = functionEnvironment(fn.access, RESOURCES, dev);
    assert.equal(env[DATA_ACCESS_ROLE_VARIABLE], undefined, fn.name);
    assert.doesNotThrow(() => loadConfig(env), fn.name);
  }
});

test('the credentials lifetime is passed through within what role chaining allows', () => {
  assert.deepEqual(passedThroughSettings({ [VENDED_CREDENTIALS_SECONDS_VARIABLE]: '1800' }), { [VENDED_CREDENTIALS_SECONDS_VARIABLE]: '1800' });
  assert.deepEqual(passedThroughSettings({ [VENDED_CREDENTIALS_SECONDS_VARIABLE]: String(MAX_CHAINED_SESSION_SECONDS) }), { [VENDED_CREDENTIALS_SECONDS_VARIABLE]: '3600' });
  for (const bad of ['7200', '600', '1h', '-1']) assert.throws(() => passedThroughSettings({ [VENDED_CREDENTIALS_SECONDS_VARIABLE]: bad }), /role chaining/, bad);
  const env = functionEnvironment(vendingFunctions()[0]!.access, RESOURCES, undefined, passedThroughSettings({ [VENDED_CREDENTIALS_SECONDS_VARIABLE]: '1800' }));
  assert.equal(loadConfig(env).access.vendedCredentialsSeconds, 1800);
});

test('the role name is fixed per app, stage and region, a valid IAM name, and its ARN one the catalog accepts', () => {
  const name = dataAccessRoleName('iceberg-catalog', 'production', 'eu-west-1');
  assert.equal(name, 'iceberg-catalog-production-eu-west-1-data-access');
  assert.equal(dataAccessRoleName('iceberg-catalog', 'production', 'eu-west-1'), name);
  assert.notEqual(dataAccessRoleName('iceberg-catalog', 'production', 'us-east-1'), name);
  const long = dataAccessRoleName('iceberg-catalog', 'a-very-long-stage-name-for-a-feature-branch-preview', 'ap-southeast-2');
  assert.ok(long.length <= 64, long);
  assert.notEqual(long, dataAccessRoleName('iceberg-catalog', 'a-very-long-stage-name-for-a-feature-branch-preview2', 'ap-southeast-2'));
  for (const n of [name, long]) assert.match(n, /^[\w+=,.@-]{1,64}$/);
  const arn = roleArn('aws', '111122223333', name);
  assert.equal(arn, 'arn:aws:iam::111122223333:role/iceberg-catalog-production-eu-west-1-data-access');
  assert.equal(loadConfig({ CATALOG_STORE: 'fs', CATALOG_DATA_DIR: '/tmp/x', CATALOG_ENCRYPTION: 'none', CATALOG_ALLOW_PLAINTEXT_RECORDS: 'true', CATALOG_DATA_ACCESS_ROLE_ARN: arn }).access.dataAccessRoleArn, arn);
});
