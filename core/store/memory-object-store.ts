import { createHash } from 'node:crypto';
import { normaliseEtag, type DeleteOptions, type ListOptions, type ListPage, type ObjectStore, type StoredObject, type WriteResult } from './object-store.js';
import { paginate } from './paginate.js';

interface Entry {
  readonly body: Uint8Array;
  readonly etag: string;
}

/**
 * The port's exact semantics in memory, for unit tests. Each method checks and changes the map
 * without awaiting in between, so on single-threaded JS every operation is atomic. Bodies are
 * copied in and out: a caller mutating its buffer must not change what is stored.
 */
export class MemoryObjectStore implements ObjectStore {
  readonly capabilities = { conditionalDelete: true };
  private readonly objects = new Map<string, Entry>();

  async get(key: string): Promise<StoredObject | undefined> {
    const entry = this.objects.get(key);
    return entry === undefined ? undefined : { body: entry.body.slice(), etag: entry.etag };
  }

  async putIfAbsent(key: string, body: Uint8Array): Promise<WriteResult> {
    if (this.objects.has(key)) return { ok: false, reason: 'precondition-failed' };
    return { ok: true, etag: this.store(key, body) };
  }

  async putIfMatch(key: string, body: Uint8Array, etag: string): Promise<WriteResult> {
    if (this.objects.get(key)?.etag !== normaliseEtag(etag)) return { ok: false, reason: 'precondition-failed' };
    return { ok: true, etag: this.store(key, body) };
  }

  async put(key: string, body: Uint8Array): Promise<{ etag: string }> {
    return { etag: this.store(key, body) };
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<{ deleted: boolean }> {
    const current = this.objects.get(key);
    if (current !== undefined && options.ifMatch !== undefined && current.etag !== normaliseEtag(options.ifMatch)) return { deleted: false };
    this.objects.delete(key);
    return { deleted: true };
  }

  async list(options: ListOptions): Promise<ListPage> {
    const page = paginate([...this.objects.keys()].sort(), options);
    return { ...page, objects: page.objects.map((key) => ({ key, etag: this.objects.get(key)!.etag, size: this.objects.get(key)!.body.byteLength })) };
  }

  private store(key: string, body: Uint8Array): string {
    const etag = md5Hex(body);
    this.objects.set(key, { body: body.slice(), etag });
    return etag;
  }
}

/** S3's ETag of a single-part upload without SSE-KMS, so tests see the same values as on S3. */
function md5Hex(body: Uint8Array): string {
  return createHash('md5').update(body).digest('hex');
}
