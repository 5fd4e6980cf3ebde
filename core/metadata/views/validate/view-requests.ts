/** CreateViewRequest, CommitViewRequest and RegisterViewRequest bodies from untrusted JSON. */
import {
  expectObject,
  fieldPath,
  optional,
  optionalString,
  optionalStringMap,
  required,
  requiredNonEmptyString,
} from '../../validate/json-fields.js';
import { readSchemaInput } from '../../validate/schema.js';
import type { CommitViewRequest, CreateViewRequest, RegisterViewRequest } from '../types.js';
import { validateViewRequirements } from './view-requirement.js';
import { validateViewUpdates } from './view-update.js';
import { readViewVersion } from './view-version.js';

/** `properties` is required by the spec but read as `{}` when absent: nothing depends on it. */
export function validateCreateViewRequest(value: unknown, path = ''): CreateViewRequest {
  const record = expectObject(value, path);
  const name = requiredNonEmptyString(record, 'name', path);
  const location = optionalString(record, 'location', path);
  return {
    name,
    ...(location === undefined || location === '' ? {} : { location }),
    schema: readSchemaInput(required(record, 'schema', path), fieldPath(path, 'schema')),
    viewVersion: readViewVersion(required(record, 'view-version', path), fieldPath(path, 'view-version')),
    properties: optionalStringMap(record, 'properties', path) ?? {},
  };
}

/** `requirements` is optional for views (unlike tables); `identifier` is left to the HTTP layer. */
export function validateCommitViewRequest(value: unknown, path = ''): CommitViewRequest {
  const record = expectObject(value, path);
  const requirements = optional(record, 'requirements');
  return {
    requirements: requirements === undefined ? [] : validateViewRequirements(requirements, fieldPath(path, 'requirements')),
    updates: validateViewUpdates(required(record, 'updates', path), fieldPath(path, 'updates')),
  };
}

export function validateRegisterViewRequest(value: unknown, path = ''): RegisterViewRequest {
  const record = expectObject(value, path);
  return { name: requiredNonEmptyString(record, 'name', path), metadataLocation: requiredNonEmptyString(record, 'metadata-location', path) };
}
