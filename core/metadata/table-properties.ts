/**
 * Table properties the engine reads or writes. Reserved properties steer table creation and are
 * never stored (Java `TableProperties.RESERVED_PROPERTIES`).
 */
export const FORMAT_VERSION_PROPERTY = 'format-version';

export const RESERVED_PROPERTIES: ReadonlySet<string> = new Set([
  FORMAT_VERSION_PROPERTY,
  'uuid',
  'snapshot-count',
  'current-snapshot-id',
  'current-snapshot-summary',
  'current-snapshot-timestamp-ms',
  'current-schema',
  'default-partition-spec',
  'default-sort-order',
]);

/** Java sets this on every new table since 1.4 unless the request chose a codec. */
export const PARQUET_COMPRESSION = 'write.parquet.compression-codec';
export const PARQUET_COMPRESSION_DEFAULT_FOR_NEW_TABLES = 'zstd';

export const METADATA_COMPRESSION = 'write.metadata.compression-codec';
export const METADATA_PATH = 'write.metadata.path';

/** `gc.enabled` (default true): may a purge delete the files? Views honour it for their metadata file. */
export const GC_ENABLED = 'gc.enabled';

export function gcEnabled(properties: Readonly<Record<string, string>>): boolean {
  return (properties[GC_ENABLED] ?? 'true').toLowerCase() !== 'false';
}
