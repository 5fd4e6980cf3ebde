import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { JsonValue } from '../../core/json/lossless-json.js';
import { assertStatus } from './assertions.js';
import { encodeLevel, namespacePath, uniqueName, type CatalogResponse, type TestCatalog } from './catalog-harness.js';

/**
 * Builders for the table behaviour tests: requests shaped as the Java REST client sends them
 * (RESTSessionCatalog, TableMetadata.Builder, UpdateRequirements), computed from the metadata the
 * server returned, so each test states only what it varies.
 */

// ---------------------------------------------------------------------------------------------
// JSON shapes as they travel (kebab-case; 64-bit values may parse as bigint)

export type Long = number | bigint;
export type TypeJson = string | StructTypeJson | ListTypeJson | MapTypeJson;
export interface StructTypeJson {
  type: 'struct';
  fields: FieldJson[];
}
export interface ListTypeJson {
  type: 'list';
  'element-id': number;
  element: TypeJson;
  'element-required': boolean;
}
export interface MapTypeJson {
  type: 'map';
  'key-id': number;
  key: TypeJson;
  'value-id': number;
  value: TypeJson;
  'value-required': boolean;
}
export interface FieldJson {
  id: number;
  name: string;
  required: boolean;
  type: TypeJson;
  doc?: string;
  'initial-default'?: JsonValue;
  'write-default'?: JsonValue;
}
export interface SchemaJson {
  type: 'struct';
  'schema-id'?: number;
  'identifier-field-ids'?: number[];
  fields: FieldJson[];
}
export interface PartitionFieldJson {
  'source-id': number;
  'field-id'?: number;
  name: string;
  transform: string;
}
export interface SpecJson {
  'spec-id'?: number;
  fields: PartitionFieldJson[];
}
export type Direction = 'asc' | 'desc';
export type NullOrder = 'nulls-first' | 'nulls-last';
export interface SortFieldJson {
  'source-id': number;
  transform: string;
  direction: Direction;
  'null-order': NullOrder;
}
export interface SortOrderJson {
  'order-id'?: number;
  fields: SortFieldJson[];
}
export interface SnapshotJson {
  'snapshot-id': Long;
  'parent-snapshot-id'?: Long;
  'sequence-number'?: Long;
  'timestamp-ms': Long;
  'manifest-list'?: string;
  summary?: Record<string, string>;
  'schema-id'?: number;
  'first-row-id'?: Long;
  'added-rows'?: Long;
}
export interface RefJson {
  'snapshot-id': Long;
  type: 'branch' | 'tag';
}
export interface TableMetadataJson {
  'format-version': number;
  'table-uuid': string;
  location: string;
  'last-sequence-number'?: Long;
  'last-updated-ms': Long;
  'last-column-id': number;
  'current-schema-id': number;
  schemas: SchemaJson[];
  'default-spec-id': number;
  'partition-specs': SpecJson[];
  'last-partition-id': number;
  'default-sort-order-id': number;
  'sort-orders': SortOrderJson[];
  properties: Record<string, string>;
  'current-snapshot-id'?: Long | null;
  snapshots: SnapshotJson[];
  refs: Record<string, RefJson>;
  'snapshot-log': { 'timestamp-ms': Long; 'snapshot-id': Long }[];
  'metadata-log': { 'timestamp-ms': Long; 'metadata-file': string }[];
  'next-row-id'?: Long;
}
export interface LoadTableResultJson {
  'metadata-location': string | null;
  metadata: TableMetadataJson;
  config?: Record<string, string>;
}
export interface CommitResponseJson {
  'metadata-location': string;
  metadata: TableMetadataJson;
}
export interface RequirementJson {
  type: string;
  [field: string]: JsonValue;
}
export interface UpdateJson {
  action: string;
  [field: string]: unknown;
}
export interface CommitRequestJson {
  requirements: RequirementJson[];
  updates: UpdateJson[];
}
export interface CreateTableRequestJson {
  name: string;
  schema: SchemaJson;
  location?: string;
  'partition-spec'?: SpecJson;
  'write-order'?: SortOrderJson;
  'stage-create'?: boolean;
  properties?: Record<string, string>;
}
export interface TableId {
  namespace: string[];
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Schemas, specs, orders (request side: ids as the client happens to have them)

export function aField(id: number, name: string, type: TypeJson, options: Partial<Omit<FieldJson, 'id' | 'name' | 'type'>> = {}): FieldJson {
  return { id, name, required: options.required ?? true, type, ...options };
}

/** CatalogTests.SCHEMA: `id int` and `data string`, carrying client ids 3 and 4 that the server must re-assign. */
export function aSchema(...fields: FieldJson[]): SchemaJson {
  const chosen = fields.length > 0 ? fields : [aField(3, 'id', 'int', { doc: 'unique ID 🤪' }), aField(4, 'data', 'string')];
  return { type: 'struct', 'schema-id': 0, fields: chosen };
}

/** CatalogTests.OTHER_SCHEMA: one column, unrelated to aSchema(). */
export function anotherSchema(): SchemaJson {
  return aSchema(aField(1, 'some_id', 'int'));
}

export function aPartitionField(sourceId: number, transform: string, name: string, fieldId?: number): PartitionFieldJson {
  return { 'source-id': sourceId, transform, name, ...(fieldId !== undefined ? { 'field-id': fieldId } : {}) };
}

/** CatalogTests.SPEC: bucket[16] of aSchema()'s `id` (client source id 3). */
export function aSpec(...fields: PartitionFieldJson[]): SpecJson {
  return { 'spec-id': 0, fields: fields.length > 0 ? fields : [aPartitionField(3, 'bucket[16]', 'id_bucket', 1000)] };
}

export function aSortField(sourceId: number, transform = 'identity', direction: Direction = 'asc', nullOrder: NullOrder = 'nulls-first'): SortFieldJson {
  return { 'source-id': sourceId, transform, direction, 'null-order': nullOrder };
}

/** CatalogTests.WRITE_ORDER: asc bucket[16](id), then asc id nulls-first (client source id 3). */
export function aSortOrder(...fields: SortFieldJson[]): SortOrderJson {
  return { 'order-id': 1, fields: fields.length > 0 ? fields : [aSortField(3, 'bucket[16]'), aSortField(3)] };
}

export function aCreateTableRequest(name: string, extra: Partial<Omit<CreateTableRequestJson, 'name'>> = {}): CreateTableRequestJson {
  return { name, schema: aSchema(), ...extra };
}

/** testCompleteCreateTable's request: location, spec, write order and properties. */
export function aCompleteCreateTableRequest(name: string, location: string, extra: Partial<Omit<CreateTableRequestJson, 'name'>> = {}): CreateTableRequestJson {
  return aCreateTableRequest(name, {
    location,
    'partition-spec': aSpec(),
    'write-order': aSortOrder(),
    properties: { user: 'someone', created_by: 'test' },
    ...extra,
  });
}

// ---------------------------------------------------------------------------------------------
// Reading metadata

export const toBig = (value: Long | null | undefined): bigint | null => (value === undefined || value === null ? null : BigInt(value));

export function currentSchema(metadata: TableMetadataJson): SchemaJson {
  const found = metadata.schemas.find((s) => s['schema-id'] === metadata['current-schema-id']);
  if (found === undefined) throw new Error(`no current schema ${metadata['current-schema-id']}`);
  return found;
}

export function defaultSpec(metadata: TableMetadataJson): SpecJson {
  const found = metadata['partition-specs'].find((s) => s['spec-id'] === metadata['default-spec-id']);
  if (found === undefined) throw new Error(`no default spec ${metadata['default-spec-id']}`);
  return found;
}

export function defaultSortOrder(metadata: TableMetadataJson): SortOrderJson {
  const found = metadata['sort-orders'].find((o) => o['order-id'] === metadata['default-sort-order-id']);
  if (found === undefined) throw new Error(`no default sort order ${metadata['default-sort-order-id']}`);
  return found;
}

export function mainSnapshotId(metadata: TableMetadataJson): bigint | null {
  return toBig(metadata.refs['main']?.['snapshot-id']);
}

export function snapshotIds(metadata: TableMetadataJson): bigint[] {
  return metadata.snapshots.map((s) => BigInt(s['snapshot-id']));
}

export function columnId(metadata: TableMetadataJson, name: string): number {
  const found = currentSchema(metadata).fields.find((f) => f.name === name);
  if (found === undefined) throw new Error(`no column ${name}`);
  return found.id;
}

/** The fields as name/type/required only: for comparing schemas independent of ids. */
export function shapeOf(fields: readonly FieldJson[]): { name: string; type: TypeJson; required: boolean }[] {
  return fields.map((f) => ({ name: f.name, type: f.type, required: f.required }));
}

function highestFieldId(type: TypeJson): number {
  if (typeof type === 'string') return 0;
  if (type.type === 'struct') return Math.max(0, ...type.fields.map((f) => Math.max(f.id, highestFieldId(f.type))));
  if (type.type === 'list') return Math.max(type['element-id'], highestFieldId(type.element));
  return Math.max(type['key-id'], type['value-id'], highestFieldId(type.key), highestFieldId(type.value));
}

// ---------------------------------------------------------------------------------------------
// Single updates, spelled as the spec's TableUpdate

export const addSchema = (schema: SchemaJson, lastColumnId?: number): UpdateJson => ({
  action: 'add-schema',
  schema,
  ...(lastColumnId !== undefined ? { 'last-column-id': lastColumnId } : {}),
});
export const setCurrentSchema = (schemaId: number): UpdateJson => ({ action: 'set-current-schema', 'schema-id': schemaId });
export const addSpec = (spec: SpecJson): UpdateJson => ({ action: 'add-spec', spec });
export const setDefaultSpec = (specId: number): UpdateJson => ({ action: 'set-default-spec', 'spec-id': specId });
export const addSortOrder = (order: SortOrderJson): UpdateJson => ({ action: 'add-sort-order', 'sort-order': order });
export const setDefaultSortOrder = (orderId: number): UpdateJson => ({ action: 'set-default-sort-order', 'sort-order-id': orderId });
export const setLocation = (location: string): UpdateJson => ({ action: 'set-location', location });
export const setProperties = (updates: Record<string, string>): UpdateJson => ({ action: 'set-properties', updates });
export const removeProperties = (...removals: string[]): UpdateJson => ({ action: 'remove-properties', removals });
export const addSnapshot = (snapshot: SnapshotJson): UpdateJson => ({ action: 'add-snapshot', snapshot });
export const setRef = (name: string, snapshotId: Long, type: 'branch' | 'tag' = 'branch'): UpdateJson => ({
  action: 'set-snapshot-ref',
  'ref-name': name,
  type,
  'snapshot-id': snapshotId,
});
export const removeRef = (name: string): UpdateJson => ({ action: 'remove-snapshot-ref', 'ref-name': name });
export const removeSnapshots = (...ids: Long[]): UpdateJson => ({ action: 'remove-snapshots', 'snapshot-ids': ids });
export const removeSchemas = (...ids: number[]): UpdateJson => ({ action: 'remove-schemas', 'schema-ids': ids });
export const removeSpecs = (...ids: number[]): UpdateJson => ({ action: 'remove-partition-specs', 'spec-ids': ids });

// ---------------------------------------------------------------------------------------------
// Requirements, as UpdateRequirements.forUpdateTable / forReplaceTable derive them

export function requirementsFor(base: TableMetadataJson, updates: readonly UpdateJson[], mode: 'update' | 'replace' = 'update'): RequirementJson[] {
  const requirements: RequirementJson[] = [{ type: 'assert-table-uuid', uuid: base['table-uuid'] }];
  const seen = new Set<string>();
  const require = (key: string, requirement: RequirementJson) => {
    if (seen.has(key)) return;
    seen.add(key);
    requirements.push(requirement);
  };
  const update = mode === 'update';
  const unchangedBranches = () => {
    for (const [name, ref] of Object.entries(base.refs)) {
      if (ref.type === 'branch' && name !== 'main') require(`ref:${name}`, { type: 'assert-ref-snapshot-id', ref: name, 'snapshot-id': ref['snapshot-id'] });
    }
  };
  for (const u of updates) {
    switch (u.action) {
      case 'add-schema':
        require('field-id', { type: 'assert-last-assigned-field-id', 'last-assigned-field-id': base['last-column-id'] });
        break;
      case 'set-current-schema':
      case 'remove-schemas':
        if (update) require('schema', { type: 'assert-current-schema-id', 'current-schema-id': base['current-schema-id'] });
        if (update && u.action === 'remove-schemas') unchangedBranches();
        break;
      case 'add-spec':
        require('partition-id', { type: 'assert-last-assigned-partition-id', 'last-assigned-partition-id': base['last-partition-id'] });
        break;
      case 'set-default-spec':
      case 'remove-partition-specs':
        if (update) require('spec', { type: 'assert-default-spec-id', 'default-spec-id': base['default-spec-id'] });
        if (update && u.action === 'remove-partition-specs') unchangedBranches();
        break;
      case 'set-default-sort-order':
        if (update) require('order', { type: 'assert-default-sort-order-id', 'default-sort-order-id': base['default-sort-order-id'] });
        break;
      case 'set-snapshot-ref': {
        const name = u['ref-name'] as string;
        if (update) require(`ref:${name}`, { type: 'assert-ref-snapshot-id', ref: name, 'snapshot-id': base.refs[name]?.['snapshot-id'] ?? null });
        break;
      }
      default:
        break;
    }
  }
  return requirements;
}

/** A simple (non-transactional) commit: the updates plus the requirements the Java client derives from them. */
export function anUpdateCommit(base: TableMetadataJson, updates: UpdateJson[]): CommitRequestJson {
  return { requirements: requirementsFor(base, updates), updates };
}

// ---------------------------------------------------------------------------------------------
// Schema, spec and sort-order evolution (UpdateSchema, UpdatePartitionSpec, ReplaceSortOrder)

export interface NewColumn {
  name: string;
  type: TypeJson;
  required?: boolean;
}

/** UpdateSchema.addColumn: the current fields plus new ones numbered after last-column-id. */
export function withColumns(base: TableMetadataJson, ...columns: NewColumn[]): FieldJson[] {
  let next = base['last-column-id'];
  return [...currentSchema(base).fields, ...columns.map((c) => aField(++next, c.name, c.type, { required: c.required ?? false }))];
}

/** UpdateSchema.deleteColumn. */
export function withoutColumns(base: TableMetadataJson, ...names: string[]): FieldJson[] {
  return currentSchema(base).fields.filter((f) => !names.includes(f.name));
}

/**
 * What UpdateSchema.commit() sends to make `fields` current: an identical existing schema is set
 * by id (TableMetadata.Builder reuses it), anything else is added and selected with -1.
 */
export function schemaChange(base: TableMetadataJson, fields: FieldJson[]): UpdateJson[] {
  const lastColumnId = Math.max(base['last-column-id'], highestFieldId({ type: 'struct', fields }));
  const same = base.schemas.find((s) => isDeepStrictEqual(s.fields, fields));
  if (same !== undefined && lastColumnId === base['last-column-id']) {
    return same['schema-id'] === base['current-schema-id'] ? [] : [setCurrentSchema(same['schema-id']!)];
  }
  const schemaId = Math.max(...base.schemas.map((s) => s['schema-id'] ?? 0)) + 1;
  return [addSchema({ type: 'struct', 'schema-id': schemaId, fields }, lastColumnId), setCurrentSchema(-1)];
}

export interface PartitionFieldByName {
  source: string;
  transform: string;
  name: string;
}

function sameSpecFields(a: readonly PartitionFieldJson[], b: readonly PartitionFieldJson[]): boolean {
  return a.length === b.length && a.every((f, i) => f['source-id'] === b[i]!['source-id'] && f.transform === b[i]!.transform && f.name === b[i]!.name);
}

/**
 * Partition field ids as Java assigns them on v2+: a (source, transform) pair any spec ever had
 * keeps its id, a new pair gets the next id after last-partition-id.
 */
function bindSpec(base: TableMetadataJson, fields: readonly PartitionFieldByName[], sourceIdOf: (name: string) => number): PartitionFieldJson[] {
  let next = base['last-partition-id'];
  return fields.map((f) => {
    const sourceId = sourceIdOf(f.source);
    const known = base['partition-specs'].flatMap((s) => s.fields).filter((p) => p['source-id'] === sourceId && p.transform === f.transform);
    const fieldId = known.length > 0 ? Math.max(...known.map((p) => p['field-id'] ?? 0)) : ++next;
    return aPartitionField(sourceId, f.transform, f.name, fieldId);
  });
}

function specDecision(base: TableMetadataJson, fields: PartitionFieldJson[]): { updates: UpdateJson[]; specId: number } {
  const same = base['partition-specs'].find((s) => sameSpecFields(s.fields, fields));
  if (same !== undefined) {
    const specId = same['spec-id']!;
    return { updates: specId === base['default-spec-id'] ? [] : [setDefaultSpec(specId)], specId };
  }
  const specId = Math.max(...base['partition-specs'].map((s) => s['spec-id'] ?? 0)) + 1;
  return { updates: [addSpec({ 'spec-id': specId, fields }), setDefaultSpec(-1)], specId };
}

/** What UpdatePartitionSpec.commit() sends to make the spec with these fields the default (v2+ tables). */
export function specChange(base: TableMetadataJson, fields: PartitionFieldByName[]): UpdateJson[] {
  return specDecision(base, bindSpec(base, fields, (name) => columnId(base, name))).updates;
}

export interface SortFieldByName {
  source: string;
  transform?: string;
  direction?: Direction;
  nullOrder?: NullOrder;
}

function orderDecision(base: TableMetadataJson, fields: SortFieldJson[]): { updates: UpdateJson[]; orderId: number } {
  const same = base['sort-orders'].find((o) => isDeepStrictEqual(o.fields, fields));
  if (same !== undefined) {
    const orderId = same['order-id']!;
    return { updates: orderId === base['default-sort-order-id'] ? [] : [setDefaultSortOrder(orderId)], orderId };
  }
  const orderId = fields.length === 0 ? 0 : Math.max(0, ...base['sort-orders'].map((o) => o['order-id'] ?? 0)) + 1;
  return { updates: [addSortOrder({ 'order-id': orderId, fields }), setDefaultSortOrder(-1)], orderId };
}

/** What ReplaceSortOrder.commit() sends; an identical existing order is reused by id. */
export function sortOrderChange(base: TableMetadataJson, fields: SortFieldByName[]): UpdateJson[] {
  const bound = fields.map((f) => aSortField(columnId(base, f.source), f.transform, f.direction, f.nullOrder));
  return orderDecision(base, bound).updates;
}

// ---------------------------------------------------------------------------------------------
// Snapshots

/** A random positive 63-bit id, as Java's SnapshotIdGeneratorUtil makes them. */
export function aSnapshotId(): bigint {
  return randomBytes(8).readBigUInt64BE() & ((1n << 63n) - 1n);
}

export interface AppendOptions {
  snapshotId?: bigint;
  branch?: string;
  /** For appends inside a transaction whose schema is not yet the base's. */
  schemaId?: number;
  /** Inside a replace transaction main is removed first, so the snapshot has no parent. */
  parent?: Long | null;
  addedRows?: number;
}

/** The add-snapshot + set-snapshot-ref pair of a fast append of one data file. */
export function anAppend(base: TableMetadataJson, options: AppendOptions = {}): UpdateJson[] {
  const snapshotId = options.snapshotId ?? aSnapshotId();
  const branch = options.branch ?? 'main';
  const parent = options.parent !== undefined ? options.parent : (base.refs[branch]?.['snapshot-id'] ?? null);
  const version = base['format-version'];
  const addedRows = options.addedRows ?? 10;
  const snapshot: SnapshotJson = {
    'snapshot-id': snapshotId,
    ...(parent !== null ? { 'parent-snapshot-id': parent } : {}),
    ...(version >= 2 ? { 'sequence-number': BigInt(base['last-sequence-number'] ?? 0) + 1n } : {}),
    'timestamp-ms': Date.now(),
    'manifest-list': `${base.location}/metadata/snap-${snapshotId}-1-${randomUUID()}.avro`,
    summary: { operation: 'append', 'added-data-files': '1', 'added-records': String(addedRows) },
    'schema-id': options.schemaId ?? base['current-schema-id'],
    ...(version >= 3 ? { 'first-row-id': base['next-row-id'] ?? 0, 'added-rows': addedRows } : {}),
  };
  return [addSnapshot(snapshot), setRef(branch, snapshotId)];
}

/** A fast append: assert-ref-snapshot-id main=<parent|null> guards add-snapshot + set-snapshot-ref. */
export function anAppendCommit(base: TableMetadataJson, options: AppendOptions = {}): CommitRequestJson {
  return anUpdateCommit(base, anAppend(base, options));
}

// ---------------------------------------------------------------------------------------------
// Create and replace transactions

/**
 * The commit that ends a create transaction: only assert-create, then RESTSessionCatalog's
 * createChanges of the staged metadata, then what the transaction did.
 */
export function aCreateTransactionCommit(staged: TableMetadataJson, transaction: UpdateJson[] = []): CommitRequestJson {
  const properties = staged.properties;
  return {
    requirements: [{ type: 'assert-create' }],
    updates: [
      { action: 'assign-uuid', uuid: staged['table-uuid'] },
      { action: 'upgrade-format-version', 'format-version': staged['format-version'] },
      addSchema(currentSchema(staged)),
      setCurrentSchema(-1),
      addSpec(defaultSpec(staged)),
      setDefaultSpec(-1),
      addSortOrder(defaultSortOrder(staged)),
      setDefaultSortOrder(-1),
      setLocation(staged.location),
      ...(Object.keys(properties).length > 0 ? [setProperties(properties)] : []),
      ...transaction,
    ],
  };
}

export interface ReplaceOptions {
  /** Append one file inside the transaction, with this snapshot id. */
  appendSnapshotId?: bigint;
}

/**
 * The commit that ends a replace transaction: TableMetadata.buildReplacement of the request against
 * `base` (column ids kept by name, new ones after last-column-id; partition field ids recycled),
 * preceded by the explicit set-current-schema / set-default-spec / set-default-sort-order that
 * RESTSessionCatalog adds when the replacement does not change them, with forReplaceTable's
 * requirements (uuid, and the last-assigned ids only for what is added). Flat schemas only.
 */
export function aReplaceCommit(base: TableMetadataJson, request: Omit<CreateTableRequestJson, 'name'>, options: ReplaceOptions = {}): CommitRequestJson {
  const { 'format-version': requestedVersion, ...properties } = request.properties ?? {};
  const changes: UpdateJson[] = [];
  const formatVersion = requestedVersion === undefined ? base['format-version'] : Number(requestedVersion);
  if (formatVersion !== base['format-version']) changes.push({ action: 'upgrade-format-version', 'format-version': formatVersion });
  if (base.refs['main'] !== undefined) changes.push(removeRef('main'));

  let lastColumnId = base['last-column-id'];
  const baseFields = currentSchema(base).fields;
  const fields = request.schema.fields.map((f) => {
    if (typeof f.type !== 'string') throw new Error('aReplaceCommit handles flat schemas only');
    return { ...f, id: baseFields.find((b) => b.name === f.name)?.id ?? ++lastColumnId };
  });
  const requestName = (id: number) => request.schema.fields.find((f) => f.id === id)!.name;
  const freshId = (id: number) => fields.find((f) => f.name === requestName(id))!.id;

  const same = base.schemas.find((s) => isDeepStrictEqual(s.fields, fields));
  let schemaId: number;
  if (same !== undefined && lastColumnId === base['last-column-id']) {
    schemaId = same['schema-id']!;
    if (schemaId !== base['current-schema-id']) changes.push(setCurrentSchema(schemaId));
  } else {
    schemaId = Math.max(...base.schemas.map((s) => s['schema-id'] ?? 0)) + 1;
    changes.push(addSchema({ type: 'struct', 'schema-id': schemaId, fields }, lastColumnId), setCurrentSchema(-1));
  }

  const specFields = (request['partition-spec']?.fields ?? []).map((f) => ({ source: requestName(f['source-id']), transform: f.transform, name: f.name }));
  const spec = specDecision(base, bindSpec(base, specFields, (name) => fields.find((f) => f.name === name)!.id));
  changes.push(...spec.updates);
  const orderFields = (request['write-order']?.fields ?? []).map((f) => ({ ...f, 'source-id': freshId(f['source-id']) }));
  const order = orderDecision(base, orderFields);
  changes.push(...order.updates);

  if (request.location !== undefined && request.location !== base.location) changes.push(setLocation(request.location));
  if (Object.keys(properties).length > 0) changes.push(setProperties(properties));

  const explicit: UpdateJson[] = [];
  if (!changes.some((u) => u.action === 'set-current-schema')) explicit.push(setCurrentSchema(schemaId));
  if (!changes.some((u) => u.action === 'set-default-spec')) explicit.push(setDefaultSpec(spec.specId));
  if (!changes.some((u) => u.action === 'set-default-sort-order')) explicit.push(setDefaultSortOrder(order.orderId));

  const transaction =
    options.appendSnapshotId === undefined
      ? []
      : anAppend({ ...base, 'format-version': formatVersion }, { snapshotId: options.appendSnapshotId, parent: null, schemaId });
  const updates = [...explicit, ...changes, ...transaction];
  return { requirements: requirementsFor(base, updates, 'replace'), updates };
}

// ---------------------------------------------------------------------------------------------
// Reports

export function aCommitReport(tableName: string, snapshotId: Long, sequenceNumber: Long): Record<string, unknown> {
  return {
    'report-type': 'commit-report',
    'table-name': tableName,
    'snapshot-id': snapshotId,
    'sequence-number': sequenceNumber,
    operation: 'append',
    metrics: { 'total-duration': { count: 1, 'time-unit': 'nanoseconds', 'total-duration': 1000 }, 'added-data-files': { unit: 'count', value: 1 } },
    metadata: { 'engine-name': 'test' },
  };
}

export function aScanReport(tableName: string, snapshotId: Long, schemaId: number): Record<string, unknown> {
  return {
    'report-type': 'scan-report',
    'table-name': tableName,
    'snapshot-id': snapshotId,
    filter: true,
    'schema-id': schemaId,
    'projected-field-ids': [1, 2],
    'projected-field-names': ['id', 'data'],
    metrics: { 'result-data-files': { unit: 'count', value: 1 } },
  };
}

// ---------------------------------------------------------------------------------------------
// The table routes, over HTTP

export interface TableApi {
  readonly prefix: string;
  newNamespace(stem?: string): Promise<string[]>;
  /** A fresh namespace and a table created in it from `request` (default: aCreateTableRequest). */
  newTable(request?: Partial<CreateTableRequestJson>): Promise<{ id: TableId; created: LoadTableResultJson }>;
  create(namespace: string[], body: unknown): Promise<CatalogResponse>;
  createOk(namespace: string[], body: unknown): Promise<LoadTableResultJson>;
  load(id: TableId, options?: { query?: string; headers?: Record<string, string> }): Promise<CatalogResponse>;
  loadOk(id: TableId): Promise<LoadTableResultJson>;
  commit(id: TableId, body: unknown): Promise<CatalogResponse>;
  commitOk(id: TableId, body: unknown): Promise<CommitResponseJson>;
  exists(id: TableId): Promise<CatalogResponse>;
  drop(id: TableId, purge?: boolean): Promise<CatalogResponse>;
  list(namespace: string[]): Promise<CatalogResponse>;
  listNames(namespace: string[]): Promise<string[]>;
  rename(from: TableId, to: TableId): Promise<CatalogResponse>;
  register(namespace: string[], name: string, metadataLocation: string, overwrite?: boolean): Promise<CatalogResponse>;
  metrics(id: TableId, report: unknown): Promise<CatalogResponse>;
}

export function tableApi(catalog: TestCatalog): TableApi {
  const prefix = `/v1/${catalog.warehouse}`;
  const namespaceUrl = (namespace: string[]) => `${prefix}/namespaces/${namespacePath(namespace)}`;
  const tableUrl = (id: TableId) => `${namespaceUrl(id.namespace)}/tables/${encodeLevel(id.name)}`;
  const api: TableApi = {
    prefix,
    async newNamespace(stem = 'ns') {
      const namespace = [uniqueName(stem)];
      assertStatus(await catalog.request('POST', `${prefix}/namespaces`, { body: { namespace } }), 200);
      return namespace;
    },
    async newTable(request = {}) {
      const namespace = await api.newNamespace();
      const id = { namespace, name: request.name ?? 'tbl' };
      const created = await api.createOk(namespace, { ...aCreateTableRequest(id.name), ...request });
      return { id, created };
    },
    create: (namespace, body) => catalog.request('POST', `${namespaceUrl(namespace)}/tables`, { body }),
    async createOk(namespace, body) {
      const response = await api.create(namespace, body);
      assertStatus(response, 200);
      return response.body as unknown as LoadTableResultJson;
    },
    load: (id, options = {}) =>
      catalog.request('GET', `${tableUrl(id)}${options.query !== undefined ? `?${options.query}` : ''}`, options.headers ? { headers: options.headers } : {}),
    async loadOk(id) {
      const response = await api.load(id);
      assertStatus(response, 200);
      return response.body as unknown as LoadTableResultJson;
    },
    commit: (id, body) => catalog.request('POST', tableUrl(id), { body }),
    async commitOk(id, body) {
      const response = await api.commit(id, body);
      assertStatus(response, 200);
      return response.body as unknown as CommitResponseJson;
    },
    exists: (id) => catalog.request('HEAD', tableUrl(id)),
    drop: (id, purge) => catalog.request('DELETE', `${tableUrl(id)}${purge === undefined ? '' : `?purgeRequested=${purge}`}`),
    list: (namespace) => catalog.request('GET', `${namespaceUrl(namespace)}/tables`),
    async listNames(namespace) {
      const response = await api.list(namespace);
      assertStatus(response, 200);
      return (response.body as unknown as { identifiers: TableId[] }).identifiers.map((i) => i.name).sort();
    },
    rename: (from, to) => catalog.request('POST', `${prefix}/tables/rename`, { body: { source: from, destination: to } }),
    register: (namespace, name, metadataLocation, overwrite) =>
      catalog.request('POST', `${namespaceUrl(namespace)}/register`, {
        body: { name, 'metadata-location': metadataLocation, ...(overwrite !== undefined ? { overwrite } : {}) },
      }),
    metrics: (id, report) => catalog.request('POST', `${tableUrl(id)}/metrics`, { body: report }),
  };
  return api;
}

/** `ns.tbl`, as the server prints identifiers in messages. */
export function identifierText(id: TableId): string {
  return `${id.namespace.join('.')}.${id.name}`;
}
