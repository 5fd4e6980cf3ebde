/**
 * Where view metadata files go: the table naming scheme (`<version>-<uuid>.metadata.json`, see
 * ../metadata-file-name.ts) under `write.metadata.path` or `<location>/metadata`.
 *
 * Compression: Java writes view metadata gzipped by default (`write.metadata.compression-codec`
 * defaults to gzip for views). This catalog writes it uncompressed unless the view asks for gzip:
 * view files are a few KB, tables here default to uncompressed too, the catalog returns the
 * metadata inline so clients never read the file, and every reader (ours and Java's) picks the
 * codec from the `.gz.metadata.json` suffix, so both kinds of file stay readable.
 */
import { stripTrailingSlash } from '../location.js';
import { metadataFileName, parseMetadataVersion, type MetadataCodec } from '../metadata-file-name.js';
import { ownValue } from '../own-property.js';
import type { ViewMetadata } from './types.js';
import { METADATA_COMPRESSION, METADATA_PATH } from './view-properties.js';

export function viewMetadataCodecOf(metadata: ViewMetadata): MetadataCodec {
  return ownValue(metadata.properties, METADATA_COMPRESSION)?.trim().toLowerCase() === 'gzip' ? 'gzip' : 'none';
}

/** Same rule as tables (spec Appendix F): an absolute path as-is, a relative one under the view location. */
export function viewMetadataFolder(metadata: ViewMetadata): string {
  const configured = ownValue(metadata.properties, METADATA_PATH)?.trim();
  const location = stripTrailingSlash(metadata.location);
  if (configured === undefined || configured === '') return `${location}/metadata`;
  const folder = stripTrailingSlash(configured);
  return isAbsolute(folder) ? folder : `${location}/${folder}`;
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path);
}

/** Where the metadata written after `currentLocation` goes (version 0 when there is none yet, as in Java). */
export function nextViewMetadataLocation(metadata: ViewMetadata, currentLocation: string | undefined, uuid: string): string {
  const version = currentLocation === undefined ? 0 : parseMetadataVersion(currentLocation) + 1;
  return `${viewMetadataFolder(metadata)}/${metadataFileName(version, uuid, viewMetadataCodecOf(metadata))}`;
}
