import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CredentialVendor, VendRequest } from '../../access/credential-vendor.js';
import { installCredentialVendor } from '../../access/vendor-runtime.js';
import type { CatalogContext } from '../../catalog/context.js';
import { createCatalogContext } from '../../catalog-runtime.js';
import { loadConfig } from '../../config.js';
import { parseJson, stringifyJson } from '../../json/lossless-json.js';
import type { FileIO } from '../../store/file-io.js';
import type { OperationRequest } from '../operation.js';
import { routeFor, type OperationId } from '../routes.js';
import { createNamespace } from './create-namespace.js';
import { createTable } from './create-table.js';
import { loadCredentials } from './load-credentials.js';
import { loadTable } from './load-table.js';

/**
 * The loadTable operation with delegation, on an `s3://` warehouse whose files are in memory and a
 * stand-in for STS at the CredentialVendor port (unit test: the integration test uses a real STS).
 */
class MemoryFileIO implements FileIO {
  private readonly files = new Map<string, Uint8Array>();
  read = async (location: string) => this.files.get(location);
  create = async (location: string, bytes: Uint8Array) => (this.files.has(location) ? ('exists' as const) : (this.files.set(location, bytes), 'created' as const));
  delete = async (location: string) => void this.files.delete(location);
  list = async (prefix: string) => [...this.files.keys()].filter((k) => k.startsWith(prefix));
}

let dataDir: string;
let ctx: CatalogContext;
const calls: VendRequest[] = [];

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'load-table-delegation-'));
  const config = loadConfig({
    CATALOG_DATA_DIR: dataDir,
    CATALOG_AUTH: 'disabled',
    CATALOG_ENCRYPTION: 'none',
    CATALOG_ALLOW_PLAINTEXT_RECORDS: 'true',
    CATALOG_WAREHOUSES: 'default=s3://lake/warehouse',
    CATALOG_DATA_ACCESS_ROLE_ARN: 'arn:aws:iam::000000000000:role/data-access',
    S3_REGION: 'eu-central-1',
  });
  ctx = await createCatalogContext(config, { files: new MemoryFileIO() });
  const vendor: CredentialVendor = {
    async vend(request) {
      calls.push(request);
      return { accessKeyId: `ASIA${calls.length}`, secretAccessKey: `secret-${request.level}`, sessionToken: `token-${calls.length}`, expiresAtMs: Date.now() + 3_600_000 };
    },
  };
  installCredentialVendor(config, vendor);
  await createNamespace(request('createNamespace', { prefix: 'default' }, { body: { namespace: ['sales'] } }), ctx);
  await createTable(request('createTable', { prefix: 'default', namespace: 'sales' }, { body: { name: 'orders', schema: { type: 'struct', 'schema-id': 0, fields: [{ id: 1, name: 'id', required: true, type: 'long' }] } } }), ctx);
});
after(async () => rm(dataDir, { recursive: true, force: true }));

function request(operationId: OperationId, pathParams: Record<string, string>, options: { body?: unknown; headers?: Record<string, string>; writer?: boolean } = {}): OperationRequest {
  return {
    route: routeFor(operationId),
    requestId: 'test',
    pathParams,
    query: new Map(),
    headers: options.headers ?? {},
    body: options.body === undefined ? undefined : parseJson(JSON.stringify(options.body)),
    ...(options.writer === undefined ? {} : { access: { allows: (action: string) => action !== 'updateTable' || options.writer === true } }),
  };
}

const orders = { prefix: 'default', namespace: 'sales', table: 'orders' };
type Body = { config: Record<string, string>; metadata: { location: string }; 'storage-credentials'?: { prefix: string; config: Record<string, string> }[] };
const bodyOf = (answer: { body?: unknown }): Body => parseJson(stringifyJson(answer.body)) as unknown as Body;

test('the spliced answer is valid JSON: cached metadata, config with the credentials, storage-credentials for the location, no-store', async () => {
  const answer = await loadTable(request('loadTable', orders, { headers: { 'x-iceberg-access-delegation': 'vended-credentials' }, writer: false }), ctx);
  const body = bodyOf(answer);
  assert.equal(body.metadata.location, 's3://lake/warehouse/sales/orders');
  assert.equal(body['storage-credentials']?.[0]?.prefix, body.metadata.location);
  assert.equal(body.config['s3.secret-access-key'], 'secret-read-only');
  assert.equal(body.config['client.region'], 'eu-central-1');
  assert.match(answer.headers?.['cache-control'] ?? '', /no-store/);
  assert.ok(answer.headers?.['etag']);
});

test('the cached answer is not touched: a plain load after a vended one carries nothing', async () => {
  await loadTable(request('loadTable', orders, { headers: { 'x-iceberg-access-delegation': 'vended-credentials' } }), ctx);
  const plain = await loadTable(request('loadTable', orders), ctx);
  const text = stringifyJson(plain.body);
  assert.ok(!text.includes('secret-'));
  assert.deepEqual(bodyOf(plain).config, {});
  assert.equal(plain.headers?.['cache-control'], undefined);
});

test('a reader gets read-only and a writer read-write credentials, never each other\'s', async () => {
  const read = bodyOf(await loadTable(request('loadTable', orders, { headers: { 'x-iceberg-access-delegation': 'vended-credentials' }, writer: false }), ctx));
  const write = bodyOf(await loadTable(request('loadTable', orders, { headers: { 'x-iceberg-access-delegation': 'vended-credentials' }, writer: true }), ctx));
  assert.equal(read.config['s3.secret-access-key'], 'secret-read-only');
  assert.equal(write.config['s3.secret-access-key'], 'secret-read-write');
  assert.notEqual(read.config['s3.access-key-id'], write.config['s3.access-key-id']);
});

test('a burst of loads and refreshes makes one vend per access level', async () => {
  const before = calls.length;
  for (let i = 0; i < 100; i++) {
    await loadTable(request('loadTable', orders, { headers: { 'x-iceberg-access-delegation': 'vended-credentials,remote-signing' }, writer: i % 2 === 0 }), ctx);
    await loadCredentials(request('loadCredentials', orders, { writer: false }), ctx);
  }
  assert.ok(calls.length - before <= 2, `${calls.length - before} vends for 200 requests at two levels`);
});

test('loadCredentials answers the same scope', async () => {
  const answer = await loadCredentials(request('loadCredentials', orders, { writer: false }), ctx);
  const body = parseJson(stringifyJson(answer.body)) as unknown as { 'storage-credentials': { prefix: string; config: Record<string, string> }[] };
  assert.equal(body['storage-credentials'].length, 1);
  assert.equal(body['storage-credentials'][0]?.prefix, 's3://lake/warehouse/sales/orders');
  assert.equal(body['storage-credentials'][0]?.config['s3.secret-access-key'], 'secret-read-only');
  assert.match(answer.headers?.['cache-control'] ?? '', /no-store/);
});
