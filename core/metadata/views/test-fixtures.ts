/** Tiny builders for view engine tests: a test names only what its rule is about. */
import assert from 'node:assert/strict';
import { IllegalArgumentError } from '../../errors.js';
import { aSchema, NOW } from '../test-fixtures.js';
import type { SchemaInput } from '../types.js';
import { commitView } from './commit-view.js';
import { createView } from './create-view.js';
import { startViewDraft, type ViewDraft } from './draft.js';
import type { ViewBuildResult } from './build.js';
import type { CreateViewRequest, ViewMetadata, ViewRepresentation, ViewRequirement, ViewUpdate, ViewVersion } from './types.js';

export { NOW };
export const VIEW_LOCATION = 's3://bucket/warehouse/ns/view';
export const VIEW_UUID = '3b2f5b4e-6c1d-4f7a-9e8b-0a1b2c3d4e5f';

export function sql(query: string, dialect = 'spark'): ViewRepresentation {
  return { type: 'sql', sql: query, dialect };
}

/** Version 1 on schema 0: one spark query in namespace `ns`. */
export function aViewVersion(overrides: Partial<ViewVersion> = {}): ViewVersion {
  return {
    versionId: 1,
    timestampMs: BigInt(NOW),
    schemaId: 0,
    summary: { 'engine-name': 'spark' },
    representations: [sql('select * from ns.tbl')],
    defaultNamespace: ['ns'],
    ...overrides,
  };
}

export function aCreateViewRequest(overrides: Partial<CreateViewRequest> = {}): CreateViewRequest & { location: string } {
  return { name: 'view', location: VIEW_LOCATION, schema: aSchema(), viewVersion: aViewVersion(), properties: {}, ...overrides };
}

/** A freshly created view with a fixed uuid. */
export function aView(overrides: Partial<CreateViewRequest> = {}): ViewMetadata {
  return createView(aCreateViewRequest(overrides), { now: NOW, newUuid: () => VIEW_UUID });
}

/** What the Java client sends to replace a view's version: add-schema, add-view-version(-1), set-current(-1). */
export function replaceUpdates(version: Partial<ViewVersion>, schema: SchemaInput = aSchema()): ViewUpdate[] {
  return [
    { action: 'add-schema', schema },
    { action: 'add-view-version', viewVersion: aViewVersion({ versionId: 2, schemaId: -1, summary: { operation: 'replace' }, ...version }) },
    { action: 'set-current-view-version', viewVersionId: -1 },
  ];
}

export function commitToView(view: ViewMetadata, updates: readonly ViewUpdate[], requirements: readonly ViewRequirement[] = [], now = NOW + 1000): ViewBuildResult {
  return commitView(view, requirements, updates, { now });
}

export function aViewDraft(view: ViewMetadata = aView(), now = NOW + 1000): ViewDraft {
  return startViewDraft(view, BigInt(now));
}

/** Asserts a 400 whose type is IllegalArgumentException with exactly this message. */
export function assertIllegalArgument(action: () => unknown, message: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof IllegalArgumentError, `expected IllegalArgumentError, got ${String(error)}`);
    assert.equal(error.type, 'IllegalArgumentException');
    assert.equal(error.status, 400);
    assert.equal(error.message, message);
    return true;
  });
}
