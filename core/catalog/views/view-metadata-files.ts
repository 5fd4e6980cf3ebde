import { gunzipSync, gzipSync } from 'node:zlib';
import { NotFoundError } from '../../errors.js';
import { parseJson, stringifyJson } from '../../json/lossless-json.js';
import { metadataCodecFromFileName } from '../../metadata/metadata-file-name.js';
import { parseViewMetadata, serializeViewMetadata, type ViewMetadata } from '../../metadata/views/index.js';
import type { FileIO } from '../../store/file-io.js';

/** Parsed view metadata files kept per container: files are immutable, so a location never goes stale. */
export const VIEW_METADATA_CACHE_ENTRIES = 128;

/**
 * View metadata files, written and read like table metadata files (tables/metadata-files.ts):
 * written once under a unique name (If-None-Match: *), read through a bounded cache, gzipped when
 * the name says so.
 */
export class ViewMetadataFiles {
  private readonly cache = new Map<string, ViewMetadata>();

  constructor(
    private readonly files: FileIO,
    private readonly capacity = VIEW_METADATA_CACHE_ENTRIES,
  ) {}

  async read(location: string): Promise<ViewMetadata> {
    const cached = this.cache.get(location);
    if (cached !== undefined) {
      this.cache.delete(location);
      this.cache.set(location, cached);
      return cached;
    }
    const bytes = await this.files.read(location);
    if (bytes === undefined) throw new NotFoundError(`Failed to open input stream for file: ${location}`);
    const gzipped = metadataCodecFromFileName(location) === 'gzip';
    const metadata = parseViewMetadata(parseJson(new TextDecoder().decode(gzipped ? gunzipSync(bytes) : bytes)));
    this.remember(location, metadata);
    return metadata;
  }

  /** Its name is unique, so finding a file there is a bug, not a race. */
  async write(location: string, metadata: ViewMetadata): Promise<void> {
    const text = new TextEncoder().encode(stringifyJson(serializeViewMetadata(metadata)));
    const outcome = await this.files.create(location, metadataCodecFromFileName(location) === 'gzip' ? gzipSync(text) : text);
    if (outcome === 'exists') throw new Error(`Metadata file already exists: ${location}`);
    this.remember(location, metadata);
  }

  /** Best effort: a file nobody references (a lost race) is garbage either way. */
  async discard(location: string): Promise<void> {
    this.cache.delete(location);
    await this.files.delete(location).catch(() => undefined);
  }

  private remember(location: string, metadata: ViewMetadata): void {
    this.cache.set(location, metadata);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
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
