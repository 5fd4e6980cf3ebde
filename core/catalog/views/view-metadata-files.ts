import { parseViewMetadata, serializeViewMetadata, type ViewMetadata } from '../../metadata/views/index.js';
import type { FileIO } from '../../store/file-io.js';
import { DEFAULT_MAX_METADATA_BYTES, ImmutableJsonFiles } from '../immutable-json-files.js';

/** Parsed view metadata files kept per container. */
export const VIEW_METADATA_CACHE_ENTRIES = 128;

/** View metadata files, written and read exactly like table metadata files. */
export class ViewMetadataFiles extends ImmutableJsonFiles<ViewMetadata> {
  constructor(files: FileIO, capacity = VIEW_METADATA_CACHE_ENTRIES, maxBytes = DEFAULT_MAX_METADATA_BYTES) {
    super(files, { parse: parseViewMetadata, serialize: serializeViewMetadata }, capacity, maxBytes);
  }
}
