import { AlreadyExistsError, type NoSuchNamespaceError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import { formatNamespace, type Namespace } from '../namespace.js';
import { createInsideNamespace, createRecord } from './create-inside-namespace.js';
import { namespaceRecordToJson, type NamespaceRecord } from './namespace-record.js';
import { confinementOf } from '../locations/confinement.js';
import { checkNamespaceLocation } from '../locations/object-locations.js';

export interface CreateNamespaceInput {
  readonly namespace: Namespace;
  readonly properties: Readonly<Record<string, string>>;
}

export type CreateNamespaceError = AlreadyExistsError | NoSuchNamespaceError;

export async function createNamespace(ctx: CatalogContext, warehouse: string, input: CreateNamespaceInput): Promise<NamespaceRecord> {
  checkNamespaceLocation(confinementOf(ctx.config), warehouse, input.namespace, input.properties);
  const record: NamespaceRecord = {
    namespace: input.namespace,
    properties: input.properties,
    createdAtMs: ctx.clock.now(),
    status: { state: 'active' },
  };
  const key = ctx.keys.namespaceRecord(warehouse, input.namespace);
  const parent = input.namespace.slice(0, -1);
  const write = createRecord(ctx, key, namespaceRecordToJson(record));
  const outcome =
    parent.length === 0 ? ((await write.write()) ? 'created' : 'exists') : await createInsideNamespace(ctx, warehouse, parent, write);
  if (outcome === 'exists') throw new AlreadyExistsError(`Namespace already exists: ${formatNamespace(input.namespace)}`);
  return record;
}
