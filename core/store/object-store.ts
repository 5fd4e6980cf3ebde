/**
 * The storage port: the semantics of S3 conditional writes, nothing more. Catalog state lives only
 * in objects changed through these operations. Expected outcomes (a lost race, a missing object) are
 * values; a method throws only when something unexpected happened (network down, access denied).
 */
export interface StoredObject {
  readonly body: Uint8Array;
  /** Normalised: no quotes, no weak prefix. Changes whenever the content changes. */
  readonly etag: string;
}

export type WriteResult =
  | { readonly ok: true; readonly etag: string }
  /**
   * `precondition-failed`: the store refused the condition (the object exists, or its ETag moved),
   * and no attempt of this write was in doubt.
   * `moved`: an attempt was in doubt and the object now holds other content: ours may have landed
   * and been replaced since, and can no longer land; only the caller's state can tell.
   * `unknown`: an attempt was in doubt and the condition still holds: ours may still land.
   */
  | { readonly ok: false; readonly reason: 'precondition-failed' | 'moved' | 'unknown' };

export interface ListOptions {
  readonly prefix: string;
  /** Group keys by the part after the prefix up to the first delimiter, as S3 common prefixes. */
  readonly delimiter?: string;
  /** Return only keys (and common prefixes) strictly after this key. */
  readonly startAfter?: string;
  readonly continuationToken?: string;
  /** Upper bound on objects + common prefixes in one page (S3 caps it at 1000). */
  readonly maxKeys?: number;
}

export interface ListedObject {
  readonly key: string;
  readonly etag: string;
  /** Bytes stored; S3 lists it for free, and the catalog encodes a hint in its parity (record-store.ts). */
  readonly size: number;
  /** S3 LastModified (the server's clock), where the adapter reports it; maintenance judges file ages by it. */
  readonly lastModifiedMs?: number;
}

export interface ListPage {
  readonly objects: readonly ListedObject[];
  readonly commonPrefixes: readonly string[];
  /** Present when more results follow. */
  readonly nextContinuationToken?: string;
}

export interface ObjectStoreCapabilities {
  /**
   * The store refuses a DELETE whose If-Match no longer matches (AWS S3, the local stores). Ceph RGW
   * 16 ignores If-Match on DELETE, so without this a protocol may only delete under a deadline.
   */
  readonly conditionalDelete: boolean;
}

export interface DeleteOptions {
  /** Delete only this version; honoured where `capabilities.conditionalDelete` is true. */
  readonly ifMatch?: string;
  /**
   * One attempt, given up after this many milliseconds: for deletes that are safe only before a
   * deadline, which a retry or a slow request could carry past it.
   */
  readonly timeoutMs?: number;
}

export interface ObjectStore {
  readonly capabilities: ObjectStoreCapabilities;
  get(key: string): Promise<StoredObject | undefined>;
  /** `If-None-Match: *`: writes only when no object has the key. */
  putIfAbsent(key: string, body: Uint8Array): Promise<WriteResult>;
  /** `If-Match: etag`: replaces the object only when its current ETag is `etag`. */
  putIfMatch(key: string, body: Uint8Array, etag: string): Promise<WriteResult>;
  /** Unconditional write, for keys nobody else can write (unique names). */
  put(key: string, body: Uint8Array): Promise<{ etag: string }>;
  /**
   * Deletes the object. With `ifMatch`, adapters that can enforce it refuse a moved ETag (see
   * capabilities). Deleting a missing key succeeds.
   */
  delete(key: string, options?: DeleteOptions): Promise<{ deleted: boolean }>;
  list(options: ListOptions): Promise<ListPage>;
}

/** S3 answers ETags quoted (and weak ones prefixed); RGW refuses a quoted If-Match. One form everywhere. */
export function normaliseEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** Walks every page of a listing. */
export async function* listAll(store: ObjectStore, options: Omit<ListOptions, 'continuationToken'>): AsyncGenerator<ListPage> {
  let continuationToken: string | undefined;
  do {
    const page = await store.list({ ...options, ...(continuationToken !== undefined ? { continuationToken } : {}) });
    yield page;
    continuationToken = page.nextContinuationToken;
  } while (continuationToken !== undefined);
}

export { bytesEqual } from '../bytes.js';
