import { gunzipSync, gzipSync } from 'node:zlib';
import { BadRequestError, NotFoundError } from '../errors.js';
import { parseJson, stringifyJson } from '../json/lossless-json.js';
import { metadataCodecFromFileName } from '../metadata/metadata-file-name.js';
import { LruCache } from '../lru-cache.js';
import type { FileIO } from '../store/file-io.js';
import { parseLocation } from './locations/canonical-location.js';

export interface JsonFileFormat<T> {
  /** Validates as well as parses: a file is data from outside, even our own. */
  readonly parse: (json: unknown) => T;
  readonly serialize: (value: T) => unknown;
}

/**
 * 4 MiB of metadata JSON per version: a loadTable answer carries it inline and must stay under
 * Lambda's 6 MB response limit with room for the config and headers (CATALOG_MAX_METADATA_BYTES).
 */
export const DEFAULT_MAX_METADATA_BYTES = 4 * 1024 * 1024;
/**
 * Files are read up to this multiple of the write limit (older or engine-written files may be
 * larger than what the catalog writes now): a bound, not a policy, so that a file or a gzip bomb
 * cannot take the process's memory.
 */
const READ_LIMIT_FACTOR = 4;

/** A commit whose metadata would exceed the configured size: the client's request, so 400. */
export class MetadataTooLargeError extends BadRequestError {}

/** A file too large (or a gzip stream that inflates too far) to be metadata the catalog reads. */
export class MetadataFileTooLargeError extends Error {
  override readonly name = 'MetadataFileTooLargeError';
}

/**
 * Table and view metadata files: written once under a unique name (If-None-Match: *), gzipped when
 * the name says so, and read through a bounded LRU cache per container. Files are immutable, so a
 * cached location never goes stale. Every metadata write of the catalog goes through `write`, so
 * its location is checked here (canonical, inside a warehouse: the FileIO is a ConfinedFileIO) and
 * its size is bounded here.
 */
export class ImmutableJsonFiles<T> {
  private readonly cache: LruCache<T>;

  constructor(
    private readonly files: FileIO,
    private readonly format: JsonFileFormat<T>,
    capacity: number,
    private readonly maxBytes: number = DEFAULT_MAX_METADATA_BYTES,
  ) {
    this.cache = new LruCache(capacity);
  }

  async read(location: string): Promise<T> {
    const cached = this.cache.get(location);
    if (cached !== undefined) return cached;
    const bytes = await this.files.read(location);
    if (bytes === undefined) throw new NotFoundError(`Failed to open input stream for file: ${location}`);
    const value = this.format.parse(parseJson(new TextDecoder().decode(this.inflate(location, bytes))));
    this.cache.set(location, value);
    return value;
  }

  private inflate(location: string, bytes: Uint8Array): Uint8Array {
    const limit = this.maxBytes * READ_LIMIT_FACTOR;
    if (bytes.length > limit) throw new MetadataFileTooLargeError(`Metadata file larger than ${limit} bytes: ${location.slice(0, 200)}`);
    if (metadataCodecFromFileName(location) !== 'gzip') return bytes;
    try {
      return gunzipSync(bytes, { maxOutputLength: limit });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new MetadataFileTooLargeError(`Metadata file inflates past ${limit} bytes: ${location.slice(0, 200)}`);
      throw error;
    }
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
    parseLocation(location, 'metadata file location'); // 400 before any serialisation; ConfinedFileIO checks the warehouse
    const text = new TextEncoder().encode(stringifyJson(this.format.serialize(value)));
    if (text.length > this.maxBytes) {
      throw new MetadataTooLargeError(
        `The new metadata would be ${text.length} bytes, more than this catalog's limit of ${this.maxBytes} (CATALOG_MAX_METADATA_BYTES): ` +
          'expire snapshots, remove old schemas or statistics, or make smaller changes',
      );
    }
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
