/** CreateTableRequest bodies from untrusted JSON. */
import type { CreateTableRequest } from '../types.js';
import {
  expectObject,
  fieldPath,
  optional,
  optionalBoolean,
  optionalString,
  optionalStringMap,
  required,
  requiredNonEmptyString,
} from './json-fields.js';
import { readPartitionSpecInput } from './partition-spec.js';
import { readSchemaInput } from './schema.js';
import { readSortOrderInput } from './sort-order.js';

export function validateCreateTableRequest(value: unknown, path = ''): CreateTableRequest {
  const record = expectObject(value, path);
  const name = requiredNonEmptyString(record, 'name', path);
  const location = optionalString(record, 'location', path);
  const specValue = optional(record, 'partition-spec');
  const orderValue = optional(record, 'write-order');
  const stageCreate = optionalBoolean(record, 'stage-create', path);
  const properties = optionalStringMap(record, 'properties', path);
  return {
    name,
    ...(location === undefined || location === '' ? {} : { location }),
    schema: readSchemaInput(required(record, 'schema', path), fieldPath(path, 'schema')),
    ...(specValue === undefined ? {} : { partitionSpec: readPartitionSpecInput(specValue, fieldPath(path, 'partition-spec')) }),
    ...(orderValue === undefined ? {} : { writeOrder: readSortOrderInput(orderValue, fieldPath(path, 'write-order')) }),
    ...(stageCreate === undefined ? {} : { stageCreate }),
    ...(properties === undefined ? {} : { properties }),
  };
}
