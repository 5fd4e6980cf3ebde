import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuthKeys } from '../../../core/auth/auth-keys.js';
import { ROUTES } from '../../../core/http/routes.js';
import { CatalogKeys } from '../../../core/catalog/catalog-keys.js';
import { ALL_FUNCTIONS, functionName, JOB_WORKER, MAINTENANCE, ROUTE_FUNCTIONS, SWEEPER, type FunctionSpec } from '../../../infra/functions.js';
import {
  accessOf,
  ACCESS_GRANTS,
  catalogTargetsOf,
  grantsFor,
  OPERATION_ACCESS,
  policyStatements,
  targetArn,
  type IamAction,
  type Target,
} from '../../../infra/permissions.js';

const ARNS = {
  catalogBucket: 'arn:aws:s3:::cat',
  warehouseBucket: 'arn:aws:s3:::wh',
  recordKey: 'arn:aws:kms:eu-west-1:111122223333:key/k',
  jobQueue: 'arn:aws:sqs:eu-west-1:111122223333:jobs',
  dataAccessRole: 'arn:aws:iam::111122223333:role/iceberg-catalog-test-eu-west-1-data-access',
};

/** The deployed inline policy of a function, flattened to "action on resource". */
function deployed(fn: FunctionSpec): Set<string> {
  const out = new Set<string>();
  for (const statement of policyStatements(fn.grants, (target) => targetArn(target, ARNS))) {
    for (const action of statement.actions) for (const resource of statement.resources) out.add(`${action} ${resource}`);
  }
  return out;
}

function has(fn: FunctionSpec, target: Target, action: IamAction): boolean {
  return fn.grants.some((g) => g.target === target && g.actions.includes(action));
}

const CATALOG_TARGETS: readonly Target[] = ['catalogState', 'authRecords', 'authSecrets', 'authzRecords', 'auditLog'];
const WRITES: readonly IamAction[] = ['s3:PutObject', 's3:DeleteObject', 'sqs:SendMessage'];
/** Routes that change nothing: GET and HEAD, plus the POSTs that only read. */
const READ_ONLY = new Set(['reportMetrics', 'simulateAuthorization', 'getEffectivePermissions']);
const readRoutes = ROUTE_FUNCTIONS.filter((f) => {
  const route = ROUTES.find((r) => r.operationId === f.operationId)!;
  return route.method === 'GET' || route.method === 'HEAD' || READ_ONLY.has(route.operationId);
});

test('the permission data names every operation of the route table, and only those', () => {
  assert.deepEqual(Object.keys(OPERATION_ACCESS).sort(), ROUTES.map((r) => r.operationId).sort());
});

test("every function's IAM policy is exactly the union of its accesses' grants, on the named resources", () => {
  for (const fn of ALL_FUNCTIONS) {
    const expected = new Set<string>();
    for (const access of fn.access) {
      for (const grant of ACCESS_GRANTS[access]) for (const action of grant.actions) expected.add(`${action} ${targetArn(grant.target, ARNS)}`);
    }
    assert.deepEqual([...deployed(fn)].sort(), [...expected].sort(), fn.name);
    assert.deepEqual(fn.grants, grantsFor(fn.access), fn.name);
  }
});

test('no policy uses a wildcard action or a whole-account resource', () => {
  for (const fn of ALL_FUNCTIONS) {
    for (const entry of deployed(fn)) {
      const [action, resource] = entry.split(' ');
      assert.doesNotMatch(action!, /\*/, `${fn.name}: ${entry}`);
      assert.ok(Object.values(ARNS).some((arn) => resource === arn || resource!.startsWith(`${arn}/`)), `${fn.name}: ${entry}`);
    }
  }
});

test('a read route cannot write catalog state, API keys, policies, table files or the queue', () => {
  assert.ok(readRoutes.length >= 15);
  for (const fn of readRoutes) {
    for (const grant of fn.grants) {
      const writes = grant.actions.filter((a) => WRITES.includes(a));
      if (writes.length === 0) continue;
      // Its only writes: new audit records (a denial is audited) and, once ever, the auth secrets.
      assert.ok(grant.target === 'auditLog' || grant.target === 'authSecrets', `${fn.name} may ${writes.join(', ')} on ${grant.target}`);
      assert.deepEqual(writes, ['s3:PutObject'], fn.name);
    }
  }
});

/** Every function as it is once its route is live (planned routes get nothing until then). */
const AS_LIVE: readonly Pick<FunctionSpec, 'name' | 'grants'>[] = [
  ...ROUTES.map((r) => ({ name: functionName(r.operationId), grants: grantsFor(accessOf(r.operationId)) })),
  JOB_WORKER,
  SWEEPER,
  MAINTENANCE,
];
const asLiveHas = (fn: Pick<FunctionSpec, 'grants'>, target: Target, action: IamAction) => fn.grants.some((g) => g.target === target && g.actions.includes(action));

test('only the job worker and the maintenance route delete table files themselves; only the sign function signs deletes for engines', () => {
  for (const functions of [ALL_FUNCTIONS, AS_LIVE]) {
    const deleters = functions.filter((f) => asLiveHas(f, 'warehouseFiles', 's3:DeleteObject')).map((f) => f.name);
    assert.ok(deleters.includes(JOB_WORKER.name));
    // Table maintenance (the route, and the job worker for the schedule) deletes the files of expired
    // snapshots and orphans (core/maintenance), confined to the table's locations.
    assert.deepEqual(deleters.filter((name) => name !== JOB_WORKER.name && name !== 'SignRequest'), ['MaintainTable']);
    // Listing the warehouse only tells a missing file from a forbidden one: the job worker, and
    // registerTable's and registerView's "metadata file does not exist"; and engines list through signed requests.
    // Maintenance lists a table's location to find its orphan files.
    const listers = functions.filter((f) => asLiveHas(f, 'warehouseBucket', 's3:ListBucket')).map((f) => f.name);
    assert.deepEqual(listers.filter((name) => name !== 'SignRequest'), ['RegisterTable', 'RegisterView', 'MaintainTable', JOB_WORKER.name]);
  }
});

test('the job worker consumes its queue and sends nothing; the schedule only lists, keeps its cursor and enqueues', () => {
  assert.deepEqual(JOB_WORKER.grants.map((g) => g.target).sort(), ['catalogBucket', 'catalogState', 'jobQueue', 'recordKey', 'warehouseBucket', 'warehouseFiles']);
  assert.deepEqual(JOB_WORKER.grants.find((g) => g.target === 'jobQueue')!.actions, ['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage']);
  assert.deepEqual(MAINTENANCE.grants.map((g) => g.target).sort(), ['catalogBucket', 'catalogState', 'jobQueue', 'recordKey']);
  assert.deepEqual(MAINTENANCE.grants.find((g) => g.target === 'jobQueue')!.actions, ['sqs:SendMessage']);
});

test('KMS GenerateDataKey only where records are written; Decrypt only where they are read', () => {
  for (const fn of ALL_FUNCTIONS) {
    const writesRecords = CATALOG_TARGETS.some((t) => has(fn, t, 's3:PutObject'));
    const readsRecords = CATALOG_TARGETS.some((t) => has(fn, t, 's3:GetObject'));
    assert.equal(has(fn, 'recordKey', 'kms:GenerateDataKey'), writesRecords, fn.name);
    assert.equal(has(fn, 'recordKey', 'kms:Decrypt'), readsRecords, fn.name);
  }
});

test('only dropTable, dropView and scheduled maintenance send to the job queue; only writers write catalog state', () => {
  assert.deepEqual(ALL_FUNCTIONS.filter((f) => has(f, 'jobQueue', 'sqs:SendMessage')).map((f) => f.operationId ?? f.name), ['dropTable', 'dropView', MAINTENANCE.name]);
  const stateWriters = ROUTE_FUNCTIONS.filter((f) => has(f, 'catalogState', 's3:PutObject')).map((f) => f.operationId).sort();
  assert.deepEqual(stateWriters, [
    'commitTransaction',
    'createNamespace',
    'createTable',
    'createView',
    'dropNamespace',
    'dropTable',
    'dropView',
    'maintainTable',
    'registerTable',
    'registerView',
    'renameTable',
    'renameView',
    'replaceView',
    'unregisterTable',
    'updateProperties',
    'updateTable',
  ]);
  // signRequest writes nothing itself: it holds PutObject to sign engines' writes (signs-table-requests).
  const fileWriters = ROUTE_FUNCTIONS.filter((f) => has(f, 'warehouseFiles', 's3:PutObject') && !f.access.includes('signs-table-requests')).map((f) => f.operationId).sort();
  assert.deepEqual(fileWriters, ['commitTransaction', 'createTable', 'createView', 'maintainTable', 'replaceView', 'updateTable']);
});

test('planned routes get no permissions beyond their logs', () => {
  for (const fn of ROUTE_FUNCTIONS.filter((f) => !f.live)) assert.deepEqual(fn.grants, [], fn.name);
});

test('every secured route authenticates, authorizes and audits; the public one only authenticates', () => {
  for (const fn of ROUTE_FUNCTIONS.filter((f) => f.live)) {
    const route = ROUTES.find((r) => r.operationId === fn.operationId)!;
    const expected = route.public === true ? ['authenticates'] : ['authenticates', 'authorizes', 'audits'];
    for (const access of expected) assert.ok(fn.access.includes(access as never), `${fn.name} lacks ${access}`);
    if (route.public === true) assert.ok(!fn.access.includes('audits') && !fn.access.includes('authorizes'), fn.name);
  }
});

test('the key scopes of the policies cover the catalog key layout (no prefix, as deployed)', () => {
  const catalog = new CatalogKeys('');
  for (const key of [
    catalog.namespaceRecord('default', ['a', 'b']),
    catalog.tablePointer('default', ['a'], 't'),
    catalog.viewPointer('default', ['a'], 'v'),
    catalog.transaction('default', 'tx1'),
    catalog.idempotencyReceipt('default', 'abc'),
  ]) {
    assert.deepEqual(catalogTargetsOf(key), ['catalogState'], key);
  }
  const auth = new AuthKeys('');
  // The secrets record is read like every auth record, and has its own grant to be created.
  assert.deepEqual(catalogTargetsOf(auth.secrets()), ['authRecords', 'authSecrets']);
  assert.deepEqual(catalogTargetsOf(auth.apiKey('k1')), ['authRecords']);
  assert.deepEqual(catalogTargetsOf(auth.oauthClient('c1')), ['authRecords']);
  assert.deepEqual(catalogTargetsOf(auth.binding('b1')), ['authzRecords']);
  assert.deepEqual(catalogTargetsOf(auth.policy('p1')), ['authzRecords']);
  assert.deepEqual(catalogTargetsOf(auth.auditRecord(new Date(0), 'req-1')), ['auditLog']);
});

test('object actions apply to keys in the bucket, ListBucket to the bucket itself', () => {
  for (const fn of ALL_FUNCTIONS) {
    for (const entry of deployed(fn)) {
      const [action, resource] = entry.split(' ');
      if (action === 's3:ListBucket') assert.ok(resource === ARNS.catalogBucket || resource === ARNS.warehouseBucket, entry);
      else if (action!.startsWith('s3:')) assert.ok(resource!.startsWith(`${ARNS.catalogBucket}/`) || resource!.startsWith(`${ARNS.warehouseBucket}/`), entry);
    }
  }
});
