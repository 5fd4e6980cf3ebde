/**
 * Dependency-free Avro object container reading (null, deflate, snappy, zstandard codecs) and
 * writing, and Iceberg manifest lists and manifests on top. Every malformed-input failure is an
 * AvroError.
 */
export { AvroError } from './avro-error.js';
export { readContainer, DEFAULT_MAX_DECOMPRESSED_BYTES, type AvroContainer, type ReadContainerOptions } from './container-reader.js';
export { writeContainer, type WriteContainerOptions } from './container-writer.js';
export { zstdAvailable, type AvroCodec, type BlockCompressor, type WriteCodec } from './codecs.js';
export type { AvroRecord, AvroValue } from './datum-reader.js';
export { parseSchema, parseSchemaText } from './schema.js';
export type * from './schema.js';
export * from './iceberg-manifests.js';
