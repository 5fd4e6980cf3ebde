import { gunzipSync, gzipSync } from 'node:zlib';
import { NotFoundError } from '../../errors.js';
import { parseJson, stringifyJson } from '../../json/lossless-json.js';
import { parseTableMetadata, serializeTableMetadata, type TableMetadata } from '../../metadata/index.js';
import type { FileIO } from '../../store/file-io.js';

/** Parsed metadata files kept per container: files are immutable, so a location never goes stale. */
export const METADATA_CACHE_ENTRIES = 256;

function isGzip(location: string): boolean {
  return location.endsWith('.gz.metadata.json') || location.endsWith('.metadata.json.gz');
}

/** Table metadata files: written once under a unique name, read through a bounded cache. */
export class MetadataFiles {
  private readonly cache = new Map<string, TableMetadata>();

  constructor(
    private readonly files: FileIO,
    private readonly capacity = METADATA_CACHE_ENTRIES,
  ) {}

  async read(location: string): Promise<TableMetadata> {
    const cached = this.cache.get(location);
    if (cached !== undefined) {
      this.cache.delete(location);
      this.cache.set(location, cached);
      return cached;
    }
    const bytes = await this.files.read(location);
    if (bytes === undefined) throw new NotFoundError(`Failed to open input stream for file: ${location}`);
    const text = new TextDecoder().decode(isGzip(location) ? gunzipSync(bytes) : bytes);
    const metadata = parseTableMetadata(parseJson(text));
    this.remember(location, metadata);
    return metadata;
  }

  /** Writes a new metadata file; its name is unique, so finding one there is a bug, not a race. */
  async write(location: string, metadata: TableMetadata): Promise<void> {
    const text = new TextEncoder().encode(stringifyJson(serializeTableMetadata(metadata)));
    const outcome = await this.files.create(location, isGzip(location) ? gzipSync(text) : text);
    if (outcome === 'exists') throw new Error(`Metadata file already exists: ${location}`);
    this.remember(location, metadata);
  }

  /** Best effort: a file nobody references (a lost race) is garbage either way. */
  async discard(location: string): Promise<void> {
    this.cache.delete(location);
    await this.files.delete(location).catch(() => undefined);
  }

  private remember(location: string, metadata: TableMetadata): void {
    this.cache.set(location, metadata);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
  }
}
