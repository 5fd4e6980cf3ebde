/**
 * View metadata from a metadata file (a stored one, or one handed to registerView). Longs become
 * bigints; the result passes the same structural checks as everything the engine builds.
 */
import {
  expectObject,
  fail,
  fieldPath,
  optionalStringMap,
  requiredArray,
  requiredInt,
  requiredLong,
  requiredString,
} from '../../validate/json-fields.js';
import { readSchema } from '../../validate/schema.js';
import type { ViewHistoryEntry, ViewMetadata } from '../types.js';
import { checkViewMetadataStructure, VIEW_FORMAT_VERSION } from '../view-structure.js';
import { readViewVersion } from './view-version.js';

const ROOT = 'metadata';

export function parseViewMetadata(json: unknown): ViewMetadata {
  const record = expectObject(json, ROOT);
  const formatVersion = requiredInt(record, 'format-version', ROOT);
  if (formatVersion !== VIEW_FORMAT_VERSION) {
    fail(fieldPath(ROOT, 'format-version'), `unsupported view format version v${formatVersion} (supported: v${VIEW_FORMAT_VERSION})`);
  }
  const metadata: ViewMetadata = {
    viewUuid: requiredString(record, 'view-uuid', ROOT),
    formatVersion,
    location: requiredString(record, 'location', ROOT),
    currentVersionId: requiredInt(record, 'current-version-id', ROOT),
    versions: requiredArray(record, 'versions', ROOT, readViewVersion),
    versionLog: requiredArray(record, 'version-log', ROOT, readHistoryEntry),
    schemas: requiredArray(record, 'schemas', ROOT, readSchema),
    properties: optionalStringMap(record, 'properties', ROOT) ?? {},
  };
  checkViewMetadataStructure(metadata);
  return metadata;
}

function readHistoryEntry(value: unknown, path: string): ViewHistoryEntry {
  const record = expectObject(value, path);
  return { timestampMs: requiredLong(record, 'timestamp-ms', path), versionId: requiredInt(record, 'version-id', path) };
}
