/**
 * Typed values of Iceberg primitive types for scan planning (issue 13): their representation, the
 * binary form of manifest bounds, the JSON form of literals and plan responses, Iceberg's order,
 * and partition transforms. Everything here is pure.
 */
export type { DecimalValue, Value } from './value.js';
export { toValueType, valueTypeOf, valueTypeToString, type SimpleKind, type TypeInput, type ValueType } from './value-type.js';
export { valueProblem } from './value-check.js';
export { InvalidValueError } from './invalid-value-error.js';

export { decodeSingleValue, encodeSingleValue, type DecodeResult } from './single-value-binary.js';
export { formatJsonSingleValue, parseJsonSingleValue } from './json-single-value.js';

export { comparatorFor, compareSameType, compareUuidsSignedLegacy, compareValues, type Comparator } from './compare.js';
export { valueKey } from './value-key.js';

export { bucketHash, bucketOfHash } from './bucket-hash.js';
export { applyTransform, transformFor, transformResultType, type ValueTransform } from './transforms.js';
