/**
 * New table metadata for createTable (and for the response of a staged create), following Java's
 * `TableMetadata.newTableMetadata`: fresh column ids from 1, spec and sort order re-bound to them by
 * column name, partition field ids from 1000, reserved properties stripped.
 */
import { BadRequestError } from '../errors.js';
import { assignFreshIds } from './assign-fresh-ids.js';
import { emptyTableMetadata } from './draft.js';
import { DEFAULT_FORMAT_VERSION, FIRST_PARTITION_FIELD_ID, SUPPORTED_FORMAT_VERSION, UNASSIGNED_PARTITION_ID, UNSORTED_ORDER_ID } from './spec-constants.js';
import { stripTrailingSlash } from './location.js';
import { longFromMillis } from './long.js';
import { ownValue, recordFromEntries } from './own-property.js';
import { checkSchemaSupportsFormatVersion } from './schema-compatibility.js';
import { indexSchemaFields, type SchemaIndex } from './schema-index.js';
import {
  FORMAT_VERSION_PROPERTY,
  PARQUET_COMPRESSION,
  PARQUET_COMPRESSION_DEFAULT_FOR_NEW_TABLES,
  RESERVED_PROPERTIES,
} from './table-properties.js';
import type {
  CreateTableRequest,
  FormatVersion,
  PartitionField,
  PartitionSpec,
  SortField,
  SortOrder,
  TableMetadata,
} from './types.js';
import { checkMetadataBindings, checkMetadataStructure } from './validate-metadata.js';

export interface CreateContext {
  /** Milliseconds since the epoch; the engine never reads a clock itself. */
  readonly now: number;
  readonly newUuid: () => string;
}

const INITIAL_SCHEMA_ID = 0;
const INITIAL_SPEC_ID = 0;
const INITIAL_SORTED_ORDER_ID = 1;

/** `location` must already be resolved by the catalog (request location or its default). */
export function createTable(request: CreateTableRequest & { readonly location: string }, ctx: CreateContext): TableMetadata {
  const requestedProperties = request.properties ?? {};
  const formatVersion = formatVersionFromProperties(requestedProperties);
  const fresh = assignFreshIds(request.schema, INITIAL_SCHEMA_ID);
  checkSchemaSupportsFormatVersion(fresh.schema.fields, formatVersion);

  const oldIndex = indexSchemaFields(request.schema.fields);
  const newIndex = indexSchemaFields(fresh.schema.fields);
  const rebind = (sourceId: number, what: string): number => rebindByName(sourceId, oldIndex, newIndex, what);

  const spec = freshSpec(request.partitionSpec?.fields ?? [], rebind);
  const sortOrder = freshSortOrder(request.writeOrder?.fields ?? [], rebind);
  const location = stripTrailingSlash(request.location);
  if (location === '') throw new BadRequestError('Cannot create a table without a location');

  const metadata: TableMetadata = {
    ...emptyTableMetadata(formatVersion, ctx.newUuid(), location, longFromMillis(ctx.now)),
    lastColumnId: fresh.lastColumnId,
    schemas: [fresh.schema],
    currentSchemaId: INITIAL_SCHEMA_ID,
    partitionSpecs: [spec],
    defaultSpecId: INITIAL_SPEC_ID,
    lastPartitionId: spec.fields.reduce((max, field) => Math.max(max, field.fieldId), UNASSIGNED_PARTITION_ID),
    sortOrders: [sortOrder],
    defaultSortOrderId: sortOrder.orderId,
    properties: persistedProperties(requestedProperties),
  };
  checkMetadataStructure(metadata);
  checkMetadataBindings(metadata);
  return metadata;
}

export function formatVersionFromProperties(properties: Readonly<Record<string, string>>): FormatVersion {
  const text = ownValue(properties, FORMAT_VERSION_PROPERTY);
  if (text === undefined) return DEFAULT_FORMAT_VERSION;
  if (!/^\s*\d{1,9}\s*$/.test(text)) throw new BadRequestError(`Invalid format-version property: ${text}`);
  const version = Number(text);
  if (version < 1 || version > SUPPORTED_FORMAT_VERSION) {
    throw new BadRequestError(`Unsupported format version: v${version} (supported: v${SUPPORTED_FORMAT_VERSION})`);
  }
  return version as FormatVersion;
}

function persistedProperties(requested: Readonly<Record<string, string>>): Record<string, string> {
  return recordFromEntries([
    [PARQUET_COMPRESSION, PARQUET_COMPRESSION_DEFAULT_FOR_NEW_TABLES] as const,
    ...Object.entries(requested).filter(([key]) => !RESERVED_PROPERTIES.has(key)),
  ]);
}

function rebindByName(sourceId: number, oldIndex: SchemaIndex, newIndex: SchemaIndex, what: string): number {
  const name = oldIndex.byId.get(sourceId)?.name;
  const rebound = name === undefined ? undefined : newIndex.byName.get(name)?.id;
  if (rebound === undefined) throw new BadRequestError(`Cannot find source column for ${what}: ${sourceId}`);
  return rebound;
}

type Rebind = (sourceId: number, what: string) => number;

function freshSpec(fields: readonly { sourceId: number; sourceIds?: readonly number[]; name: string; transform: string }[], rebind: Rebind): PartitionSpec {
  const freshFields = fields.map((field, index): PartitionField => {
    const what = `partition field ${field.name}`;
    const sourceIds = field.sourceIds?.map((id) => rebind(id, what));
    return {
      sourceId: rebind(field.sourceId, what),
      ...(sourceIds === undefined ? {} : { sourceIds }),
      fieldId: FIRST_PARTITION_FIELD_ID + index,
      name: field.name,
      transform: field.transform,
    };
  });
  return { specId: INITIAL_SPEC_ID, fields: freshFields };
}

function freshSortOrder(fields: readonly SortField[], rebind: Rebind): SortOrder {
  if (fields.length === 0) return { orderId: UNSORTED_ORDER_ID, fields: [] };
  const freshFields = fields.map((field): SortField => {
    const what = `sort field ${field.transform}`;
    const sourceIds = field.sourceIds?.map((id) => rebind(id, what));
    return { ...field, sourceId: rebind(field.sourceId, what), ...(sourceIds === undefined ? {} : { sourceIds }) };
  });
  return { orderId: INITIAL_SORTED_ORDER_ID, fields: freshFields };
}
