import { gunzipSync, gzipSync } from 'node:zlib';
import { NotFoundError } from '../errors.js';
import { parseJson, stringifyJson } from '../json/lossless-json.js';
import { metadataCodecFromFileName } from '../metadata/metadata-file-name.js';
import { LruCache } from '../lru-cache.js';
import type { FileIO } from '../store/file-io.js';

export interface JsonFileFormat<T> {
  /** Validates as well as parses: a file is data from outside, even our own. */
  readonly parse: (json: unknown) => T;
  readonly serialize: (value: T) => unknown;
}

/**
 * Table and view metadata files: written once under a unique name (If-None-Match: *), gzipped when
 * the name says so, and read through a bounded LRU cache per container. Files are immutable, so a
 * cached location never goes stale.
 */
export class ImmutableJsonFiles<T> {
  private readonly cache: LruCache<T>;

  constructor(
    private readonly files: FileIO,
    private readonly format: JsonFileFormat<T>,
    capacity: number,
  ) {
    this.cache = new LruCache(capacity);
  }

  async read(location: string): Promise<T> {
    const cached = this.cache.get(location);
    if (cached !== undefined) return cached;
    const bytes = await this.files.read(location);
    if (bytes === undefined) throw new NotFoundError(`Failed to open input stream for file: ${location}`);
    const gzipped = metadataCodecFromFileName(location) === 'gzip';
    const value = this.format.parse(parseJson(new TextDecoder().decode(gzipped ? gunzipSync(bytes) : bytes)));
    this.cache.set(location, value);
    return value;
  }

  /** As read, but a missing file is undefined: a purge run again meets files it already deleted. */
  async readIfPresent(location: string): Promise<T | undefined> {
    try {
      return await this.read(location);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  /** Its name is unique, so finding a file there is a bug, not a race. */
  async write(location: string, value: T): Promise<void> {
    const text = new TextEncoder().encode(stringifyJson(this.format.serialize(value)));
    const outcome = await this.files.create(location, metadataCodecFromFileName(location) === 'gzip' ? gzipSync(text) : text);
    if (outcome === 'exists') throw new Error(`Metadata file already exists: ${location}`);
    this.cache.set(location, value);
  }

  /** Best effort: a file nobody references (a lost race) is garbage either way. */
  async discard(location: string): Promise<void> {
    this.cache.delete(location);
    await this.files.delete(location).catch(() => undefined);
  }
}
