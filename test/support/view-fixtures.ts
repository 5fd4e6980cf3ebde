import type { JsonValue } from '../../core/json/lossless-json.js';
import { assertStatus } from './assertions.js';
import { encodeLevel, namespacePath, uniqueName, type CatalogResponse, type TestCatalog } from './catalog-harness.js';
import { aSchema, type Long, type SchemaJson, type TableId, type UpdateJson } from './table-fixtures.js';

/**
 * Builders for the view behaviour tests: requests shaped as the Java REST client sends them
 * (RESTViewBuilder, ViewMetadata updates), so each test states only what it varies.
 */

// ---------------------------------------------------------------------------------------------
// JSON shapes as they travel

export interface RepresentationJson {
  type: 'sql';
  sql: string;
  dialect: string;
}
export interface ViewVersionJson {
  'version-id': number;
  'timestamp-ms': Long;
  'schema-id': number;
  summary: Record<string, string>;
  representations: RepresentationJson[];
  'default-catalog'?: string;
  'default-namespace': string[];
}
export interface ViewMetadataJson {
  'view-uuid': string;
  'format-version': number;
  location: string;
  properties?: Record<string, string>;
  schemas: SchemaJson[];
  'current-version-id': number;
  versions: ViewVersionJson[];
  'version-log': { 'timestamp-ms': Long; 'version-id': number }[];
}
export interface LoadViewResultJson {
  'metadata-location': string;
  metadata: ViewMetadataJson;
  config?: Record<string, string>;
}
export interface CreateViewRequestJson {
  name: string;
  location?: string;
  schema: SchemaJson;
  'view-version': ViewVersionJson;
  properties: Record<string, string>;
}
export interface ViewCommitJson {
  identifier?: TableId;
  requirements?: { type: string; [field: string]: JsonValue }[];
  updates: UpdateJson[];
}

// ---------------------------------------------------------------------------------------------
// Requests

export const sql = (query: string, dialect = 'spark'): RepresentationJson => ({ type: 'sql', sql: query, dialect });

/** What the Java client sends as a new version: ids it does not know yet, a client timestamp. */
export function aViewVersion(overrides: Partial<ViewVersionJson> = {}): ViewVersionJson {
  return {
    'version-id': 1,
    'timestamp-ms': Date.now(),
    'schema-id': 5,
    summary: { 'engine-name': 'spark', 'engine-version': '3.5' },
    representations: [sql('select * from ns.tbl')],
    'default-namespace': ['ns'],
    ...overrides,
  };
}

/** ViewCatalogTests' basic create: aSchema() with client ids, schema-id 5 that the server re-assigns to 0. */
export function aCreateViewRequest(name: string, extra: Partial<Omit<CreateViewRequestJson, 'name'>> = {}): CreateViewRequestJson {
  return { name, schema: { ...aSchema(), 'schema-id': 5 }, 'view-version': aViewVersion(), properties: {}, ...extra };
}

export const assertViewUuid = (uuid: string) => ({ type: 'assert-view-uuid', uuid });
export const addViewVersion = (version: ViewVersionJson): UpdateJson => ({ action: 'add-view-version', 'view-version': version });
export const setCurrentViewVersion = (versionId: number): UpdateJson => ({ action: 'set-current-view-version', 'view-version-id': versionId });
export const addViewSchema = (schema: SchemaJson): UpdateJson => ({ action: 'add-schema', schema });
export const assignUuid = (uuid: string): UpdateJson => ({ action: 'assign-uuid', uuid });
export const upgradeFormatVersion = (version: number): UpdateJson => ({ action: 'upgrade-format-version', 'format-version': version });

/** A commit as the Java client sends it: `assert-view-uuid` of the metadata it started from, then the updates. */
export function aViewCommit(base: ViewMetadataJson, updates: UpdateJson[]): ViewCommitJson {
  return { requirements: [assertViewUuid(base['view-uuid'])], updates };
}

/** Java's replaceVersion / replace: add-schema, add-view-version on schema -1, set-current -1. */
export function aReplaceCommit(base: ViewMetadataJson, version: Partial<ViewVersionJson> = {}, schema: SchemaJson = aSchema()): ViewCommitJson {
  const nextId = Math.max(...base.versions.map((v) => v['version-id'])) + 1;
  return aViewCommit(base, [
    addViewSchema(schema),
    addViewVersion(aViewVersion({ 'version-id': nextId, 'schema-id': -1, summary: { operation: 'replace', 'engine-name': 'spark' }, ...version })),
    setCurrentViewVersion(-1),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Reading metadata

export function currentVersion(metadata: ViewMetadataJson): ViewVersionJson {
  const found = metadata.versions.find((v) => v['version-id'] === metadata['current-version-id']);
  if (found === undefined) throw new Error(`no current version ${metadata['current-version-id']}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// The view routes, over HTTP

export interface ViewApi {
  readonly prefix: string;
  newNamespace(stem?: string): Promise<string[]>;
  /** A fresh namespace and a view created in it from `request` (default: aCreateViewRequest). */
  newView(request?: Partial<CreateViewRequestJson>): Promise<{ id: TableId; created: LoadViewResultJson }>;
  create(namespace: string[], body: unknown, headers?: Record<string, string>): Promise<CatalogResponse>;
  createOk(namespace: string[], body: unknown): Promise<LoadViewResultJson>;
  load(id: TableId): Promise<CatalogResponse>;
  loadOk(id: TableId): Promise<LoadViewResultJson>;
  replace(id: TableId, body: unknown, headers?: Record<string, string>): Promise<CatalogResponse>;
  replaceOk(id: TableId, body: unknown): Promise<LoadViewResultJson>;
  exists(id: TableId): Promise<CatalogResponse>;
  drop(id: TableId, headers?: Record<string, string>): Promise<CatalogResponse>;
  list(namespace: string[], query?: string): Promise<CatalogResponse>;
  listNames(namespace: string[]): Promise<string[]>;
  rename(from: TableId, to: TableId, headers?: Record<string, string>): Promise<CatalogResponse>;
  register(namespace: string[], name: string, metadataLocation: string, headers?: Record<string, string>): Promise<CatalogResponse>;
}

export function viewApi(catalog: TestCatalog): ViewApi {
  const prefix = `/v1/${catalog.warehouse}`;
  const namespaceUrl = (namespace: string[]) => `${prefix}/namespaces/${namespacePath(namespace)}`;
  const viewUrl = (id: TableId) => `${namespaceUrl(id.namespace)}/views/${encodeLevel(id.name)}`;
  const opts = (body: unknown, headers?: Record<string, string>) => ({ ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });
  const api: ViewApi = {
    prefix,
    async newNamespace(stem = 'vns') {
      const namespace = [uniqueName(stem)];
      assertStatus(await catalog.request('POST', `${prefix}/namespaces`, { body: { namespace } }), 200);
      return namespace;
    },
    async newView(request = {}) {
      const namespace = await api.newNamespace();
      const id = { namespace, name: request.name ?? 'view' };
      const created = await api.createOk(namespace, { ...aCreateViewRequest(id.name), ...request });
      return { id, created };
    },
    create: (namespace, body, headers) => catalog.request('POST', `${namespaceUrl(namespace)}/views`, opts(body, headers)),
    async createOk(namespace, body) {
      const response = await api.create(namespace, body);
      assertStatus(response, 200);
      return response.body as unknown as LoadViewResultJson;
    },
    load: (id) => catalog.request('GET', viewUrl(id)),
    async loadOk(id) {
      const response = await api.load(id);
      assertStatus(response, 200);
      return response.body as unknown as LoadViewResultJson;
    },
    replace: (id, body, headers) => catalog.request('POST', viewUrl(id), opts(body, headers)),
    async replaceOk(id, body) {
      const response = await api.replace(id, body);
      assertStatus(response, 200);
      return response.body as unknown as LoadViewResultJson;
    },
    exists: (id) => catalog.request('HEAD', viewUrl(id)),
    drop: (id, headers) => catalog.request('DELETE', viewUrl(id), opts(undefined, headers)),
    list: (namespace, query) => catalog.request('GET', `${namespaceUrl(namespace)}/views${query !== undefined ? `?${query}` : ''}`),
    async listNames(namespace) {
      const response = await api.list(namespace);
      assertStatus(response, 200);
      return (response.body as unknown as { identifiers: TableId[] }).identifiers.map((i) => i.name).sort();
    },
    rename: (from, to, headers) => catalog.request('POST', `${prefix}/views/rename`, opts({ source: from, destination: to }, headers)),
    register: (namespace, name, metadataLocation, headers) =>
      catalog.request('POST', `${namespaceUrl(namespace)}/register-view`, opts({ name, 'metadata-location': metadataLocation }, headers)),
  };
  return api;
}
