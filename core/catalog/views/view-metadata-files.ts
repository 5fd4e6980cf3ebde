import { parseViewMetadata, serializeViewMetadata, type ViewMetadata } from '../../metadata/views/index.js';
import type { FileIO } from '../../store/file-io.js';
import { ImmutableJsonFiles } from '../immutable-json-files.js';

/** Parsed view metadata files kept per container. */
export const VIEW_METADATA_CACHE_ENTRIES = 128;

/** View metadata files, written and read exactly like table metadata files. */
export class ViewMetadataFiles extends ImmutableJsonFiles<ViewMetadata> {
  constructor(files: FileIO, capacity = VIEW_METADATA_CACHE_ENTRIES) {
    super(files, { parse: parseViewMetadata, serialize: serializeViewMetadata }, capacity);
  }
}

/**
 * One instance per FileIO, so the cache lives as long as the container's context does. Kept here
 * rather than on CatalogContext: views need no new port, only a reader over the same FileIO.
 */
const BY_FILE_IO = new WeakMap<FileIO, ViewMetadataFiles>();

export function viewMetadataFiles(files: FileIO): ViewMetadataFiles {
  let found = BY_FILE_IO.get(files);
  if (found === undefined) {
    found = new ViewMetadataFiles(files);
    BY_FILE_IO.set(files, found);
  }
  return found;
}
