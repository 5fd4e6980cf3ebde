/** Statistics files, partition statistics files and encryption keys from untrusted JSON. */
import type { BlobMetadata, EncryptedKey, PartitionStatisticsFile, StatisticsFile } from '../types.js';
import {
  expectInt,
  expectObject,
  optionalString,
  optionalStringMap,
  requiredArray,
  requiredLong,
  requiredString,
} from './json-fields.js';

function readBlobMetadata(value: unknown, path: string): BlobMetadata {
  const record = expectObject(value, path);
  const properties = optionalStringMap(record, 'properties', path);
  return {
    type: requiredString(record, 'type', path),
    snapshotId: requiredLong(record, 'snapshot-id', path),
    sequenceNumber: requiredLong(record, 'sequence-number', path),
    fields: requiredArray(record, 'fields', path, expectInt),
    ...(properties === undefined ? {} : { properties }),
  };
}

export function readStatisticsFile(value: unknown, path: string): StatisticsFile {
  const record = expectObject(value, path);
  const keyMetadata = optionalString(record, 'key-metadata', path);
  return {
    snapshotId: requiredLong(record, 'snapshot-id', path),
    statisticsPath: requiredString(record, 'statistics-path', path),
    fileSizeInBytes: requiredLong(record, 'file-size-in-bytes', path),
    fileFooterSizeInBytes: requiredLong(record, 'file-footer-size-in-bytes', path),
    ...(keyMetadata === undefined ? {} : { keyMetadata }),
    blobMetadata: requiredArray(record, 'blob-metadata', path, readBlobMetadata),
  };
}

export function readPartitionStatisticsFile(value: unknown, path: string): PartitionStatisticsFile {
  const record = expectObject(value, path);
  return {
    snapshotId: requiredLong(record, 'snapshot-id', path),
    statisticsPath: requiredString(record, 'statistics-path', path),
    fileSizeInBytes: requiredLong(record, 'file-size-in-bytes', path),
  };
}

export function readEncryptedKey(value: unknown, path: string): EncryptedKey {
  const record = expectObject(value, path);
  const encryptedById = optionalString(record, 'encrypted-by-id', path);
  const properties = optionalStringMap(record, 'properties', path);
  return {
    keyId: requiredString(record, 'key-id', path),
    encryptedKeyMetadata: requiredString(record, 'encrypted-key-metadata', path),
    ...(encryptedById === undefined ? {} : { encryptedById }),
    ...(properties === undefined ? {} : { properties }),
  };
}
