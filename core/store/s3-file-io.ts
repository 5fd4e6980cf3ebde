import { ServiceUnavailableError } from '../errors.js';
import { LruCache } from '../lru-cache.js';
import type { FileIO, FileListOptions, FileListPage, ListedFile } from './file-io.js';
import { listAll, type ObjectStore } from './object-store.js';

/** A deployment names a handful of warehouse buckets; more clients than this is a bug, not a need. */
export const MAX_BUCKET_CLIENTS = 16;

export class BucketNotServedError extends Error {
  override readonly name = 'BucketNotServedError';
}

/**
 * `s3://bucket/key` locations, through one object store per bucket (created on first use). Only
 * the buckets of the configured warehouses are served: a location naming any other bucket is
 * refused before a client is built, so neither an S3 request nor a cached client can be caused by
 * a client-chosen bucket name; the client cache is bounded all the same.
 */
export class S3FileIO implements FileIO {
  private readonly stores = new LruCache<Promise<ObjectStore>>(MAX_BUCKET_CLIENTS);
  private readonly buckets: ReadonlySet<string>;

  /** `storeFor` may load the SDK lazily: a catalog with only local tables never imports it. */
  constructor(
    private readonly storeFor: (bucket: string) => Promise<ObjectStore>,
    buckets: Iterable<string>,
  ) {
    this.buckets = new Set(buckets);
  }

  private async resolve(location: string): Promise<{ store: ObjectStore; key: string }> {
    const match = /^s3[an]?:\/\/([^/]+)\/(.*)$/i.exec(location);
    if (match === null) throw new Error(`Not an S3 location: ${location.slice(0, 200)}`);
    const bucket = match[1]!;
    if (!this.buckets.has(bucket)) throw new BucketNotServedError(`Bucket ${bucket.slice(0, 100)} is not a warehouse bucket of this catalog`);
    let store = this.stores.get(bucket);
    if (store === undefined) {
      store = this.storeFor(bucket);
      this.stores.set(bucket, store);
    }
    return { store: await store, key: match[2]! };
  }

  async read(location: string): Promise<Uint8Array | undefined> {
    const { store, key } = await this.resolve(location);
    return (await store.get(key))?.body;
  }

  async create(location: string, bytes: Uint8Array): Promise<'created' | 'exists'> {
    const { store, key } = await this.resolve(location);
    const result = await store.putIfAbsent(key, bytes);
    if (result.ok) return 'created';
    if (result.reason === 'precondition-failed') return 'exists';
    // The name is unique: a doubtful write is a store outage, not a rival. Nothing refers to the file
    // yet, so failing here (before any pointer moves) is safe; the file, if it lands, is garbage.
    throw new ServiceUnavailableError(`The object store did not confirm the write of a metadata file; retry`);
  }

  async delete(location: string): Promise<void> {
    const { store, key } = await this.resolve(location);
    await store.delete(key);
  }

  async list(prefix: string): Promise<string[]> {
    const { store, key } = await this.resolve(prefix);
    const base = prefix.slice(0, prefix.length - key.length);
    const out: string[] = [];
    for await (const page of listAll(store, { prefix: key })) out.push(...page.objects.map((o) => base + o.key));
    return out;
  }

  async listPage(prefix: string, options: FileListOptions): Promise<FileListPage> {
    const { store, key } = await this.resolve(prefix);
    const base = prefix.slice(0, prefix.length - key.length);
    let startAfter: string | undefined;
    if (options.startAfter !== undefined) {
      // A cursor from another bucket would be read as a key of this one: refused, not reinterpreted.
      if (!options.startAfter.startsWith(base)) throw new Error(`Listing cursor ${options.startAfter.slice(0, 200)} is not in ${base.slice(0, 200)}`);
      startAfter = options.startAfter.slice(base.length);
    }
    const page = await store.list({ prefix: key, maxKeys: Math.max(1, Math.min(options.maxFiles, 1000)), ...(startAfter !== undefined ? { startAfter } : {}) });
    const files: ListedFile[] = page.objects.map((o) => {
      // Without a time a file's age is unknown, and maintenance must not guess it.
      if (o.lastModifiedMs === undefined) throw new Error(`The object store listed ${o.key.slice(0, 200)} without a last-modified time`);
      return { location: base + o.key, lastModifiedMs: o.lastModifiedMs, size: o.size };
    });
    return { files, truncated: page.nextContinuationToken !== undefined };
  }
}
