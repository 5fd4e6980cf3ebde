/**
 * View metadata as Iceberg writes it (Java `ViewMetadataParser`): kebab-case fields in Java's
 * order, `properties` only when non-empty, `default-catalog` only when set. Longs come out as
 * numbers when safe and bigints beyond; write the result with `stringifyJson` so they stay exact.
 */
import type { JsonObject } from '../../json/lossless-json.js';
import { longToJson } from '../long.js';
import { serializeSchema } from '../serialize.js';
import type { ViewHistoryEntry, ViewMetadata, ViewRepresentation, ViewVersion } from './types.js';

export { parseViewMetadata } from './validate/view-metadata.js';

export function serializeViewRepresentation(representation: ViewRepresentation): JsonObject {
  return { type: representation.type, sql: representation.sql, dialect: representation.dialect };
}

export function serializeViewVersion(version: ViewVersion): JsonObject {
  return {
    'version-id': version.versionId,
    'timestamp-ms': longToJson(version.timestampMs),
    'schema-id': version.schemaId,
    summary: { ...version.summary },
    ...(version.defaultCatalog === undefined ? {} : { 'default-catalog': version.defaultCatalog }),
    'default-namespace': [...version.defaultNamespace],
    representations: version.representations.map(serializeViewRepresentation),
  };
}

function serializeHistoryEntry(entry: ViewHistoryEntry): JsonObject {
  return { 'timestamp-ms': longToJson(entry.timestampMs), 'version-id': entry.versionId };
}

export function serializeViewMetadata(metadata: ViewMetadata): JsonObject {
  return {
    'view-uuid': metadata.viewUuid,
    'format-version': metadata.formatVersion,
    location: metadata.location,
    ...(Object.keys(metadata.properties).length > 0 ? { properties: { ...metadata.properties } } : {}),
    schemas: metadata.schemas.map(serializeSchema),
    'current-version-id': metadata.currentVersionId,
    versions: metadata.versions.map(serializeViewVersion),
    'version-log': metadata.versionLog.map(serializeHistoryEntry),
  };
}
