/**
 * Metadata file names of the metastore scheme: `<version>-<uuid>.metadata.json`, the version
 * zero-padded to 5 digits as Java's `%05d` (wider past 99999), `.gz.metadata.json` when gzipped.
 */
import { stripTrailingSlash } from './location.js';
import { ownValue } from './own-property.js';
import { METADATA_COMPRESSION, METADATA_PATH } from './table-properties.js';
import type { TableMetadata } from './types.js';

export type MetadataCodec = 'none' | 'gzip';

const VERSION_DIGITS = 5;
const MAX_VERSION = 2 ** 31 - 1;

export function metadataFileName(version: number, uuid: string, codec: MetadataCodec = 'none'): string {
  const extension = codec === 'gzip' ? '.gz.metadata.json' : '.metadata.json';
  return `${String(version).padStart(VERSION_DIGITS, '0')}-${uuid}${extension}`;
}

/**
 * The digits between the last `/` and the first `-` after it; -1 when the file was not named by
 * this scheme (a registered foreign file), so the next version restarts at 0 as in Java.
 */
export function parseMetadataVersion(location: string): number {
  const start = location.lastIndexOf('/') + 1;
  const end = location.indexOf('-', start);
  if (end < 0) return -1;
  const digits = location.slice(start, end);
  if (!/^\d{1,10}$/.test(digits)) return -1;
  const version = Number(digits);
  return version <= MAX_VERSION ? version : -1;
}

export function metadataCodecOf(metadata: TableMetadata): MetadataCodec {
  return ownValue(metadata.properties, METADATA_COMPRESSION)?.trim().toLowerCase() === 'gzip' ? 'gzip' : 'none';
}

/** Readers pick the codec from the name; Java also reads the older `.metadata.json.gz` suffix. */
export function metadataCodecFromFileName(location: string): MetadataCodec {
  return location.endsWith('.gz.metadata.json') || location.endsWith('.metadata.json.gz') ? 'gzip' : 'none';
}

/**
 * The folder for metadata files: `write.metadata.path` when set (an absolute value as-is, a
 * relative one under the table location, spec Appendix F), else `<location>/metadata`.
 */
export function metadataFolder(metadata: TableMetadata): string {
  const configured = ownValue(metadata.properties, METADATA_PATH);
  if (configured !== undefined && configured.trim() !== '') {
    const folder = stripTrailingSlash(configured.trim());
    return isAbsolute(folder) ? folder : `${metadata.location}/${folder}`;
  }
  return `${metadata.location}/metadata`;
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path);
}

/** Where the metadata written after `currentLocation` goes (version 0 when there is none yet). */
export function nextMetadataLocation(metadata: TableMetadata, currentLocation: string | undefined, uuid: string): string {
  const version = currentLocation === undefined ? 0 : parseMetadataVersion(currentLocation) + 1;
  return `${metadataFolder(metadata)}/${metadataFileName(version, uuid, metadataCodecOf(metadata))}`;
}
