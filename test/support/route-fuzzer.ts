/**
 * A seeded generator of malformed and hostile requests for every route of the route table: each
 * request starts from a plausible valid request for its route and gets one to three mutations of
 * its path parameters, query, headers or body (wrong types, missing and extra fields, huge numbers,
 * deep nesting, long strings, Unicode edge cases, invalid UTF-8, odd names, odd locations, huge
 * arrays, duplicate keys, truncated JSON, ...). Same seed, same requests.
 */
import type { RouteDefinition } from '../../core/http/routes.js';

// ---------------------------------------------------------------------------------------------
// Randomness

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** mulberry32 */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON with raw pieces: numbers JSON.stringify cannot write (1e400, 2^64), duplicate keys, lone surrogates

export class Raw {
  constructor(readonly text: string) {}
}
export type FuzzJson = null | boolean | number | bigint | string | Raw | FuzzJson[] | { [key: string]: FuzzJson } | DuplicateKeys;
export class DuplicateKeys {
  constructor(readonly entries: readonly (readonly [string, FuzzJson])[]) {}
}

export function serialize(value: FuzzJson): string {
  if (value instanceof Raw) return value.text;
  if (value instanceof DuplicateKeys) return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${serialize(v)}`).join(',')}}`;
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${serialize(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// Hostile values

const HUGE_NUMBERS = ['1e400', '-1e400', '18446744073709551616', '9223372036854775808', '-9223372036854775809', '1.5', '-0', '1e-400', '0.0000001', '123456789012345678901234567890', 'NaN', 'Infinity'];

const ODD_STRINGS = [
  '',
  ' ',
  '..',
  '.',
  '/',
  'a/b',
  '../../etc/passwd',
  '%2F',
  'a%2Fb',
  '%00',
  'n=evil',
  't=x',
  '_ns',
  'CON',
  '\u0000',
  'a\u0001b',
  'a\u001fb',
  '\u007f',
  'caf\u00e9',
  'cafe\u0301',
  'txt\u202eexe',
  '\u2066x\u2069',
  '\ufeff',
  '\uffff',
  '\ud83e\uddca',
  '日本語',
  '\u0130',
  'null',
  'true',
  '-1',
  '{"a":1}',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  'toString',
  'file:///etc/passwd',
  's3://other-bucket/x',
  'http://127.0.0.1:1/x',
  'x',
  'main',
];

const ODD_LOCATIONS = [
  'file:///etc',
  'file:///tmp/../etc/x',
  'file://host/x',
  's3://other/place',
  's3://',
  's3:///x',
  'x',
  '/abs/path',
  'relative/../../x',
  'http://127.0.0.1:1/',
  'hdfs://nn/x',
  'gs://b/x',
  'abfs://c@a.dfs.core.windows.net/x',
  'file:///x/..%2f..%2fetc',
  '',
  'file:' + '/a'.repeat(500),
];

function longString(rng: Rng): string {
  const length = rng.chance(0.05) ? 100_000 : rng.pick([256, 1_000, 10_000]);
  return rng.pick(['a', 'é', '🧊', '%', '.', '\u0000']).repeat(length);
}

function deepNesting(rng: Rng): Raw {
  const depth = rng.chance(0.05) ? 50_000 : rng.pick([50, 500, 5_000]);
  return rng.chance(0.5) ? new Raw('['.repeat(depth) + ']'.repeat(depth)) : new Raw('{"a":'.repeat(depth) + '1' + '}'.repeat(depth));
}

export function hostileValue(rng: Rng, depth = 0): FuzzJson {
  switch (rng.int(16)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return new Raw(rng.pick(HUGE_NUMBERS));
    case 3:
      return rng.pick([0, -1, 1, 2_147_483_648, -2_147_483_649, 9_007_199_254_740_993n, Number.MAX_SAFE_INTEGER]);
    case 4:
      return rng.pick(ODD_STRINGS);
    case 5:
      return longString(rng);
    case 6:
      return deepNesting(rng);
    case 7:
      return Array.from({ length: rng.chance(0.05) ? 20_000 : rng.pick([0, 1, 1_000]) }, (_, i) => (i % 2 === 0 ? i : 'x'));
    case 8:
      return depth > 2 ? {} : { [rng.pick(ODD_STRINGS)]: hostileValue(rng, depth + 1) };
    case 9:
      return new Raw('"\\ud800"');
    case 10:
      return new Raw('"\\udc00x"');
    case 11:
      return rng.pick(ODD_LOCATIONS);
    case 12:
      return [hostileValue(rng, depth + 1)];
    case 13:
      return new DuplicateKeys([
        ['a', 1],
        ['a', 2],
      ]);
    case 14:
      return rng.pick(['-1', '0', '1e3', '0x10', ' 1']);
    default:
      return Object.fromEntries(Array.from({ length: rng.chance(0.05) ? 10_000 : 100 }, (_, i) => [`k${i}`, 'v']));
  }
}

// ---------------------------------------------------------------------------------------------
// Body mutations

/** Every path (list of keys/indexes) to a value inside `value`, the root included. */
function paths(value: FuzzJson, prefix: (string | number)[] = [], out: (string | number)[][] = [], budget = { left: 500 }): (string | number)[][] {
  if (budget.left-- <= 0) return out;
  out.push(prefix);
  if (Array.isArray(value)) value.slice(0, 20).forEach((item, i) => paths(item, [...prefix, i], out, budget));
  else if (value !== null && typeof value === 'object' && !(value instanceof Raw) && !(value instanceof DuplicateKeys)) {
    for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out, budget);
  }
  return out;
}

function clone(value: FuzzJson): FuzzJson {
  if (Array.isArray(value)) return value.map(clone);
  if (value !== null && typeof value === 'object' && !(value instanceof Raw) && !(value instanceof DuplicateKeys)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  }
  return value;
}

function containerAt(root: FuzzJson, path: readonly (string | number)[]): FuzzJson {
  let node = root;
  for (const key of path) node = (node as Record<string | number, FuzzJson>)[key]!;
  return node;
}

export function mutateJson(rng: Rng, original: FuzzJson): FuzzJson {
  const root = clone(original);
  const all = paths(root);
  const path = rng.pick(all);
  if (path.length === 0) {
    return rng.pick<FuzzJson>([hostileValue(rng), [], 'body', 42, null, [root], { wrapped: root }]);
  }
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1]!;
  const parent = containerAt(root, parentPath) as Record<string | number, FuzzJson>;
  const current = parent[key] ?? null;
  switch (rng.int(8)) {
    case 0:
      if (Array.isArray(parent)) (parent as FuzzJson[]).splice(Number(key), 1);
      else delete parent[key];
      break;
    case 1:
    case 2:
    case 3:
      parent[key] = hostileValue(rng);
      break;
    case 4:
      if (Array.isArray(parent)) (parent as FuzzJson[]).push(hostileValue(rng));
      else parent[rng.pick([...ODD_STRINGS, 'extra', 'location', 'properties'])] = hostileValue(rng);
      break;
    case 5:
      // Duplicate the key with another value: the parser keeps the last one.
      if (!Array.isArray(parent) && typeof key === 'string') {
        const entries = Object.entries(parent).map(([k, v]): [string, FuzzJson] => [k, v as FuzzJson]);
        entries.push([key, hostileValue(rng)]);
        if (parentPath.length === 0) return new DuplicateKeys(entries);
        const grand = containerAt(root, parentPath.slice(0, -1)) as Record<string | number, FuzzJson>;
        grand[parentPath[parentPath.length - 1]!] = new DuplicateKeys(entries);
      } else {
        parent[key] = hostileValue(rng);
      }
      break;
    case 6:
      // Many copies of an array element (huge arrays of plausible items).
      if (Array.isArray(current) && current.length > 0) {
        const item = current[0]!;
        parent[key] = Array.from({ length: rng.chance(0.1) ? 3_000 : rng.pick([100, 1_001]) }, () => clone(item));
      } else {
        parent[key] = [current, current];
      }
      break;
    default:
      parent[key] = typeof current === 'string' ? rng.pick([...ODD_STRINGS, ...ODD_LOCATIONS, longString(rng)]) : typeof current === 'number' ? new Raw(rng.pick(HUGE_NUMBERS)) : hostileValue(rng);
  }
  return root;
}

/** Byte-level damage after serialization. */
export function mutateBytes(rng: Rng, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  switch (rng.int(7)) {
    case 0:
      return bytes.subarray(0, rng.int(bytes.length + 1));
    case 1: {
      const at = rng.int(bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(rng.pick([[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x80]])), bytes.subarray(at)]);
    }
    case 2:
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    case 3:
      return Buffer.concat([bytes, Buffer.from(rng.pick(['}', ']', ',', 'garbage', '\u0000', '{}', ' '.repeat(1000)]))]);
    case 4:
      return Buffer.from(text.replace(/"/, "'"));
    case 5:
      return Buffer.from(text.replace(/:/, rng.pick(['::', '=', ''])));
    default:
      return Buffer.from(rng.pick(['', '{', '[', 'null', '0', '"x"', 'true', '{"a":}', '{,}', '\u0000', '   ', '{"a":1}{"b":2}']));
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

export interface FuzzRequest {
  readonly method: string;
  /** Raw request target, sent as is (never normalised). */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
  /** What was done, for the report of a failure. */
  readonly mutations: readonly string[];
}

/** Names the fuzzer may destroy or rewrite, and names it only reads; it never writes a protected one. */
export interface FuzzFixtures {
  readonly warehouse: string;
  /** Read-only targets (load, exists, list, metrics). */
  readonly protectedNamespace: readonly string[];
  readonly protectedTable: string;
  readonly protectedView: string;
  /** Scratch namespace holding the scratch table and view that commits target. */
  readonly scratchNamespace: readonly string[];
  readonly scratchTable: string;
  readonly scratchTableUuid: string;
  readonly scratchTableLocation: string;
  readonly scratchMetadataLocation: string;
  readonly scratchView: string;
  readonly scratchViewUuid: string;
  readonly scratchViewMetadataLocation: string;
}

export interface RouteTemplate {
  readonly params: Record<string, string>;
  readonly query: Record<string, string>;
  readonly body: FuzzJson | undefined;
  /** form-encoded instead of JSON */
  readonly form?: boolean;
}

const SCHEMA: FuzzJson = {
  type: 'struct',
  'schema-id': 0,
  fields: [
    { id: 1, name: 'id', type: 'long', required: true },
    { id: 2, name: 'data', type: 'string', required: false },
  ],
};

function encodeNamespace(levels: readonly string[]): string {
  return levels.map((level) => encodeURIComponent(level)).join('%1F');
}

/** A plausible valid request for each route; only scratch names are written. */
export function templateFor(route: RouteDefinition, f: FuzzFixtures, rng: Rng): RouteTemplate {
  const poolTable = `d${rng.int(8)}`;
  const poolView = `w${rng.int(8)}`;
  const child = [...f.scratchNamespace, `c${rng.int(8)}`];
  const read = rng.chance(0.5);
  const readNs = read ? f.protectedNamespace : f.scratchNamespace;
  const base = { prefix: f.warehouse };
  const ns = (levels: readonly string[]) => ({ ...base, namespace: encodeNamespace(levels) });
  const scratchTable = { ...ns(f.scratchNamespace), table: f.scratchTable };
  const anyTable = { ...ns(readNs), table: read ? f.protectedTable : f.scratchTable };
  const anyView = { ...ns(readNs), view: read ? f.protectedView : f.scratchView };
  const snapshotId = BigInt(1 + rng.int(1_000_000_000));
  switch (route.operationId) {
    case 'getConfig':
      return { params: {}, query: { warehouse: f.warehouse }, body: undefined };
    case 'getToken':
      return { params: {}, query: {}, body: undefined, form: true };
    case 'listNamespaces':
      return { params: base, query: rng.chance(0.5) ? { parent: encodeNamespace(readNs), pageSize: '10' } : {}, body: undefined };
    case 'createNamespace':
      return { params: base, query: {}, body: { namespace: child, properties: { owner: 'fuzz' } } };
    case 'loadNamespaceMetadata':
    case 'namespaceExists':
      return { params: ns(readNs), query: {}, body: undefined };
    case 'dropNamespace':
      return { params: ns(child), query: {}, body: undefined };
    case 'updateProperties':
      return { params: ns(f.scratchNamespace), query: {}, body: { removals: ['gone'], updates: { owner: 'fuzz', [`k${rng.int(10)}`]: 'v' } } };
    case 'listTables':
    case 'listViews':
      return { params: ns(readNs), query: rng.chance(0.5) ? { pageSize: '5' } : {}, body: undefined };
    case 'createTable':
      return {
        params: ns(f.scratchNamespace),
        query: {},
        body: { name: poolTable, schema: SCHEMA, 'partition-spec': { 'spec-id': 0, fields: [] }, properties: { a: 'b' }, ...(rng.chance(0.3) ? { location: `${f.scratchTableLocation}-${poolTable}` } : {}), ...(rng.chance(0.2) ? { 'stage-create': true } : {}) },
      };
    case 'registerTable':
      return { params: ns(f.scratchNamespace), query: {}, body: { name: poolTable, 'metadata-location': f.scratchMetadataLocation, ...(rng.chance(0.2) ? { overwrite: true } : {}) } };
    case 'loadTable':
    case 'tableExists':
      return { params: anyTable, query: rng.chance(0.3) ? { snapshots: rng.pick(['all', 'refs']) } : {}, body: undefined };
    case 'updateTable':
      return {
        params: scratchTable,
        query: {},
        body: {
          requirements: rng.chance(0.7) ? [{ type: 'assert-table-uuid', uuid: f.scratchTableUuid }] : [],
          updates: rng.pick<FuzzJson[]>([
            [{ action: 'set-properties', updates: { [`k${rng.int(20)}`]: 'v' } }],
            [{ action: 'remove-properties', removals: [`k${rng.int(20)}`] }],
            [
              { action: 'add-snapshot', snapshot: { 'snapshot-id': snapshotId, 'sequence-number': 1_000_000 + rng.int(1000), 'timestamp-ms': Date.now(), 'manifest-list': `${f.scratchTableLocation}/metadata/snap-${snapshotId}.avro`, summary: { operation: 'append' }, 'schema-id': 0 } },
              { action: 'set-snapshot-ref', 'ref-name': rng.pick(['main', 'b1']), type: 'branch', 'snapshot-id': snapshotId },
            ],
            [{ action: 'add-schema', schema: { ...(SCHEMA as object), fields: [{ id: 1, name: 'id', type: 'long', required: true }, { id: 3, name: `c${rng.int(5)}`, type: 'int', required: false }] } }, { action: 'set-current-schema', 'schema-id': -1 }],
            [{ action: 'add-spec', spec: { fields: [{ 'source-id': 1, transform: 'bucket[4]', name: 'b' }] } }],
            [{ action: 'add-sort-order', 'sort-order': { 'order-id': 1, fields: [{ 'source-id': 1, transform: 'identity', direction: 'asc', 'null-order': 'nulls-first' }] } }],
            [{ action: 'set-location', location: f.scratchTableLocation }],
            [{ action: 'set-statistics', statistics: { 'snapshot-id': snapshotId, 'statistics-path': `${f.scratchTableLocation}/metadata/s.puffin`, 'file-size-in-bytes': 1, 'file-footer-size-in-bytes': 1, 'blob-metadata': [] } }],
            [{ action: 'upgrade-format-version', 'format-version': rng.pick([1, 2, 3, 4]) }],
            [{ action: 'remove-snapshots', 'snapshot-ids': [snapshotId] }],
          ]),
        },
      };
    case 'dropTable':
      return { params: { ...ns(f.scratchNamespace), table: poolTable }, query: rng.chance(0.5) ? { purgeRequested: 'true' } : {}, body: undefined };
    // Like a drop, on the pool: unregistering the scratch table would leave the routes fuzzed after it only 404s.
    case 'unregisterTable':
      return { params: { ...ns(f.scratchNamespace), table: poolTable }, query: {}, body: undefined };
    case 'renameTable':
    case 'renameView': {
      const stem = route.operationId === 'renameTable' ? 'd' : 'w';
      return { params: base, query: {}, body: { source: { namespace: [...f.scratchNamespace], name: `${stem}${rng.int(8)}` }, destination: { namespace: [...(rng.chance(0.8) ? f.scratchNamespace : f.protectedNamespace)], name: `${stem}${rng.int(8)}` } } };
    }
    case 'reportMetrics':
      return {
        params: anyTable,
        query: {},
        body: rng.chance(0.5)
          ? { 'report-type': 'commit-report', 'table-name': 'x.t', 'snapshot-id': 1, 'sequence-number': 1, operation: 'append', metrics: {} }
          : { 'report-type': 'scan-report', 'table-name': 'x.t', 'snapshot-id': 1, filter: true, 'schema-id': 0, 'projected-field-ids': [1], 'projected-field-names': ['id'], metrics: {} },
      };
    case 'planTableScan':
      // A filter, projection and options in the shapes a client sends; the mutations then break them.
      return {
        params: anyTable,
        query: {},
        body: {
          filter: rng.chance(0.5) ? { type: 'lt', left: { type: 'reference', name: 'id' }, right: rng.int(100) } : { type: 'and', left: { type: 'not-null', child: { type: 'reference', name: 'data' } }, right: { type: 'in', child: { type: 'reference', name: 'id' }, values: [1, 2, 3] } },
          select: ['id', 'data'],
          'case-sensitive': rng.chance(0.5),
          ...(rng.chance(0.3) ? { 'snapshot-id': snapshotId } : {}),
          ...(rng.chance(0.2) ? { 'stats-fields': ['id'], 'min-rows-requested': rng.int(1000) } : {}),
        },
      };
    case 'commitTransaction':
      return {
        params: base,
        query: {},
        body: {
          'table-changes': [
            { identifier: { namespace: [...f.scratchNamespace], name: f.scratchTable }, requirements: [{ type: 'assert-table-uuid', uuid: f.scratchTableUuid }], updates: [{ action: 'set-properties', updates: { tx: String(rng.int(100)) } }] },
            ...(rng.chance(0.5) ? [{ identifier: { namespace: [...f.scratchNamespace], name: poolTable }, requirements: [], updates: [{ action: 'remove-properties', removals: ['a'] }] }] : []),
          ],
        },
      };
    case 'createView':
      return {
        params: ns(f.scratchNamespace),
        query: {},
        body: { name: poolView, schema: SCHEMA, 'view-version': { 'version-id': 1, 'timestamp-ms': Date.now(), 'schema-id': 0, summary: { 'engine-name': 'fuzz' }, representations: [{ type: 'sql', sql: 'select 1', dialect: 'spark' }], 'default-namespace': ['x'] }, properties: {} },
      };
    case 'loadView':
    case 'viewExists':
      return { params: anyView, query: {}, body: undefined };
    case 'replaceView':
      return {
        params: { ...ns(f.scratchNamespace), view: f.scratchView },
        query: {},
        body: {
          requirements: [{ type: 'assert-view-uuid', uuid: f.scratchViewUuid }],
          updates: rng.pick<FuzzJson[]>([
            [{ action: 'set-properties', updates: { [`k${rng.int(20)}`]: 'v' } }],
            [{ action: 'remove-properties', removals: [`k${rng.int(20)}`] }],
            [
              { action: 'add-schema', schema: SCHEMA },
              { action: 'add-view-version', 'view-version': { 'version-id': 2, 'timestamp-ms': Date.now(), 'schema-id': -1, summary: { 'engine-name': 'fuzz' }, representations: [{ type: 'sql', sql: 'select 2', dialect: 'spark' }], 'default-namespace': ['x'] } },
              { action: 'set-current-view-version', 'view-version-id': -1 },
            ],
            [{ action: 'set-location', location: `${f.scratchTableLocation}-view` }],
          ]),
        },
      };
    case 'dropView':
      return { params: { ...ns(f.scratchNamespace), view: poolView }, query: {}, body: undefined };
    case 'registerView':
      return { params: ns(f.scratchNamespace), query: {}, body: { name: poolView, 'metadata-location': f.scratchViewMetadataLocation } };
    case 'createApiKey':
      return { params: {}, query: {}, body: { name: `fuzz-${rng.int(1000)}`, groups: ['g'], ...(rng.chance(0.3) ? { expiresAt: '2099-01-01T00:00:00Z' } : {}) } };
    case 'createOAuthClient':
      return { params: {}, query: {}, body: { name: `fuzz-${rng.int(1000)}`, groups: ['g'] } };
    case 'revokeApiKey':
      return { params: { keyId: `ak_${rng.int(1_000_000)}` }, query: {}, body: undefined };
    case 'deleteOAuthClient':
      return { params: { clientId: `client-${rng.int(1_000_000)}` }, query: {}, body: undefined };
    case 'createRoleBinding':
      return {
        params: {},
        query: {},
        body: { role: rng.pick(['TableReader', 'TableWriter', 'NamespaceOwner']), principal: { type: rng.pick(['User', 'Group', 'ApiKey']), id: `fuzz-${rng.int(100)}` }, scope: { type: 'Namespace', warehouse: f.warehouse, namespace: [...f.scratchNamespace] } },
      };
    case 'deleteRoleBinding':
      return { params: { bindingId: `rb-${rng.int(1_000_000)}` }, query: {}, body: undefined };
    case 'putPolicy':
      // Only policies about a principal that does not exist: the fuzzer must not lock the admin out.
      return { params: { policyId: `fuzz-${rng.int(20)}` }, query: {}, body: { policy: 'permit (principal == User::"nobody", action == Action::"loadTable", resource);', description: 'fuzz' } };
    case 'getPolicy':
    case 'deletePolicy':
      return { params: { policyId: `fuzz-${rng.int(40)}` }, query: {}, body: undefined };
    case 'simulateAuthorization':
      return { params: {}, query: {}, body: { principal: { type: 'User', id: 'u', groups: ['g'] }, action: 'loadTable', resource: { type: 'Table', warehouse: f.warehouse, namespace: [...f.protectedNamespace], name: f.protectedTable } } };
    case 'getEffectivePermissions':
      return { params: {}, query: {}, body: { principal: { type: 'User', id: 'u', groups: ['g'] }, resource: { type: 'Namespace', warehouse: f.warehouse, namespace: [...f.protectedNamespace] } } };
    default: {
      // Planned routes and list routes of the management API: fill every parameter with a scratch value.
      const params: Record<string, string> = { ...base, namespace: encodeNamespace(f.scratchNamespace), table: f.scratchTable };
      for (const match of route.path.matchAll(/\{([^}]+)\}/g)) params[match[1]!] ??= `p${rng.int(100)}`;
      return { params, query: {}, body: route.method === 'POST' ? {} : undefined };
    }
  }
}

const ODD_PATH_VALUES = [
  '..',
  '.',
  '%2E%2E',
  '%2F',
  'a%2Fb',
  '%2F..%2F..%2Fetc',
  '%00',
  '%1F',
  '%1F%1F',
  'a%1F%1Fb',
  '%',
  '%zz',
  '%C0%AF',
  '%ED%A0%80',
  '%FF',
  '%E2%80%AE',
  '%7F',
  '%0A',
  '',
  'x'.repeat(300),
  '%C3%A9'.repeat(255),
  encodeURIComponent('🧊'),
  'n%3Devil',
  '_ns',
  't%3Dx',
  '%25',
  '%2525',
  'CON',
  '%20',
  '+',
  'a+b',
];

const ODD_QUERIES = [
  'pageSize=-1',
  'pageSize=0',
  'pageSize=99999999999999999999',
  'pageSize=abc',
  'pageSize=1e3',
  'pageToken=garbage',
  'pageToken=' + 'A'.repeat(5000),
  'pageToken=..%2F..%2Fsys',
  'pageToken=%FF%FE',
  'pageToken=eyJhIjoxfQ',
  'parent=%1F',
  'parent=..',
  'parent=%zz',
  'parent=' + 'x'.repeat(300),
  'purgeRequested=maybe',
  'purgeRequested=TRUE',
  'snapshots=none',
  'warehouse=nope',
  'warehouse=..',
  'warehouse=%00',
  'a=1&a=2',
  '&&&',
  '=',
  '%',
  'x=%',
  '%zz=1',
  'pageSize=1&pageSize=2',
  'planId=1',
];

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', '', 'application/json; charset=latin1', '*/*'];

function header(rng: Rng): [string, string] {
  return rng.pick<[string, string]>([
    ['idempotency-key', rng.pick(['', 'x', '0190b8b4-5e4f-7cc4-9b9b-0123456789ab', 'k'.repeat(300), '../../x', 'é'])],
    ['if-none-match', rng.pick(['"x"', '*', 'W/"1"', '', '"' + 'a'.repeat(1000) + '"'])],
    ['x-iceberg-access-delegation', rng.pick(['vended-credentials', 'remote-signing', 'x', ''])],
    ['authorization', rng.pick(['', 'Bearer', 'Bearer ', 'Bearer x', 'Basic Zm9vOmJhcg==', 'Bearer ak_0000000000000000.' + 'A'.repeat(43), 'Bearer a.b.c', 'Bearer ' + 'x'.repeat(5000)])],
    ['content-encoding', rng.pick(['gzip', 'br', 'identity', 'x'])],
    ['accept', rng.pick(['application/xml', '*/*', ''])],
    ['x-forwarded-for', '127.0.0.1'],
    ['x-' + 'h'.repeat(rng.pick([1, 100])), 'v'.repeat(rng.pick([1, 4000]))],
  ]);
}

function formBody(rng: Rng): string {
  const fields = rng.pick([
    'grant_type=client_credentials&client_id=nope&client_secret=nope',
    'grant_type=client_credentials&client_id=&client_secret=',
    'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=x&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token',
    'grant_type=password&username=a&password=b',
    'grant_type=client_credentials&grant_type=x',
    'scope=catalog&grant_type=client_credentials&client_id=a%zz',
    'client_secret=' + 'x'.repeat(70_000),
    '%FF=%FE',
    '',
    '&&==',
    '{"grant_type":"client_credentials"}',
  ]);
  return fields;
}

export function generateRequest(route: RouteDefinition, fixtures: FuzzFixtures, rng: Rng): FuzzRequest {
  const template = templateFor(route, fixtures, rng);
  const mutations: string[] = [];
  const params = { ...template.params };
  const query: string[] = Object.entries(template.query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  const headers: Record<string, string> = {};
  let bodyValue = template.body;
  let body: Buffer | undefined;
  let damagedBytes: ((text: string) => Buffer) | undefined;
  let contentType = template.form === true ? 'application/x-www-form-urlencoded' : 'application/json';
  let form = template.form === true ? formBody(rng) : undefined;

  const count = 1 + rng.int(3);
  for (let i = 0; i < count; i += 1) {
    const target = rng.int(10);
    const paramNames = Object.keys(params);
    if (target <= 1 && paramNames.length > 0) {
      const name = rng.pick(paramNames);
      params[name] = rng.chance(0.5) ? rng.pick(ODD_PATH_VALUES) : `${params[name]}${rng.pick(ODD_PATH_VALUES)}`;
      mutations.push(`path ${name}`);
    } else if (target === 2) {
      query.push(rng.pick(ODD_QUERIES));
      mutations.push('query');
    } else if (target === 3) {
      const [name, value] = header(rng);
      headers[name] = value;
      mutations.push(`header ${name}`);
    } else if (target === 4) {
      contentType = rng.pick(CONTENT_TYPES);
      mutations.push('content-type');
    } else if (target <= 8 && bodyValue !== undefined) {
      bodyValue = mutateJson(rng, bodyValue);
      mutations.push('body');
    } else if (form !== undefined) {
      form = rng.chance(0.5) ? formBody(rng) + '&' + formBody(rng) : Buffer.from(form).toString('latin1') + '%';
      mutations.push('form');
    } else if (rng.chance(0.5)) {
      damagedBytes = (text) => mutateBytes(rng, text);
      mutations.push('bytes');
    } else if (bodyValue === undefined) {
      bodyValue = hostileValue(rng);
      mutations.push('unexpected body');
    } else {
      bodyValue = mutateJson(rng, bodyValue);
      mutations.push('body');
    }
  }

  let path = route.path;
  for (const [name, value] of Object.entries(params)) path = path.replace(`{${name}}`, value);
  if (query.length > 0) path += `?${query.join('&')}`;
  if (form !== undefined) body = Buffer.from(form);
  else if (bodyValue !== undefined) {
    const text = serialize(bodyValue);
    body = damagedBytes === undefined ? Buffer.from(text, 'utf8') : damagedBytes(text);
  }
  if (body !== undefined && contentType !== '') headers['content-type'] = contentType;
  return { method: route.method, path, headers, body, mutations };
}
