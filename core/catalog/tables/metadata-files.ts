import { parseTableMetadata, serializeTableMetadata, type TableMetadata } from '../../metadata/index.js';
import type { FileIO } from '../../store/file-io.js';
import { DEFAULT_MAX_METADATA_BYTES, ImmutableJsonFiles } from '../immutable-json-files.js';

/** Parsed metadata files kept per container. */
export const METADATA_CACHE_ENTRIES = 256;

/** Table metadata files: `<location>/metadata/<version>-<uuid>.metadata.json`. */
export class MetadataFiles extends ImmutableJsonFiles<TableMetadata> {
  constructor(files: FileIO, capacity = METADATA_CACHE_ENTRIES, maxBytes = DEFAULT_MAX_METADATA_BYTES) {
    super(files, { parse: parseTableMetadata, serialize: serializeTableMetadata }, capacity, maxBytes);
  }
}
