/** ViewVersion and ViewRepresentation objects from untrusted JSON (requests and metadata files). */
import {
  expectObject,
  expectString,
  expectStringMap,
  fail,
  fieldPath,
  optionalString,
  required,
  requiredArray,
  requiredInt,
  requiredLong,
  requiredString,
} from '../../validate/json-fields.js';
import type { ViewRepresentation, ViewVersion } from '../types.js';

export function readViewVersion(value: unknown, path: string): ViewVersion {
  const record = expectObject(value, path);
  const defaultCatalog = optionalString(record, 'default-catalog', path);
  return {
    versionId: requiredInt(record, 'version-id', path),
    timestampMs: requiredLong(record, 'timestamp-ms', path),
    schemaId: requiredInt(record, 'schema-id', path),
    summary: expectStringMap(required(record, 'summary', path), fieldPath(path, 'summary')),
    representations: requiredArray(record, 'representations', path, readViewRepresentation),
    ...(defaultCatalog === undefined ? {} : { defaultCatalog }),
    defaultNamespace: requiredArray(record, 'default-namespace', path, expectString),
  };
}

/** The type is matched case-insensitively and stored lower-case, as Java's parser does. */
export function readViewRepresentation(value: unknown, path: string): ViewRepresentation {
  const record = expectObject(value, path);
  const type = requiredString(record, 'type', path).toLowerCase();
  if (type !== 'sql') fail(fieldPath(path, 'type'), `unknown view representation type "${type}"`);
  return { type, sql: requiredString(record, 'sql', path), dialect: requiredString(record, 'dialect', path) };
}
