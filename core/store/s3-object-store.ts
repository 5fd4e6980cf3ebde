import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { fullJitterDelay } from '../backoff.js';
import { ServiceUnavailableError } from '../errors.js';
import type { DeleteOptions, ListOptions, ListPage, ObjectStore, StoredObject, WriteResult } from './object-store.js';
import { bytesEqual, normaliseEtag } from './object-store.js';

export interface S3ObjectStoreOptions {
  readonly bucket: string;
  /** Every key lives under this prefix (joined with `/`); keys come back without it. */
  readonly prefix?: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly forcePathStyle?: boolean;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /**
   * Sends every request through this client (tests, custom transports) instead of the two this
   * adapter builds. It should not retry (maxAttempts 1): see the class comment.
   */
  readonly client?: S3Client;
  /** Set when the server enforces If-Match on DELETE (AWS does, Ceph RGW 16 ignores it: S3_CONDITIONAL_DELETE). */
  readonly conditionalDelete?: boolean;
  /** Attempts of one conditional write, counting the first (default 4). */
  readonly conditionalWriteAttempts?: number;
  /** Base of the jittered exponential backoff between those attempts (default 50 ms). */
  readonly retryBaseDelayMs?: number;
}

const DEFAULT_CONDITIONAL_WRITE_ATTEMPTS = 4;
const DEFAULT_RETRY_BASE_DELAY_MS = 50;
const MAX_RETRY_DELAY_MS = 2000;
const READ_MAX_ATTEMPTS = 3;
const UNREADABLE = Symbol('unreadable');

type Condition = { readonly IfNoneMatch: '*' } | { readonly IfMatch: string };

type AttemptOutcome =
  | { readonly kind: 'written'; readonly etag: string }
  /** The server evaluated the condition and refused. */
  | { readonly kind: 'refused' }
  /** The server said it did not process the request (503 SlowDown, 429, 400 RequestTimeout). */
  | { readonly kind: 'not-processed'; readonly error: unknown }
  /** The server answered 409 or 5xx: it finished with the request, and may or may not have written. */
  | { readonly kind: 'failed'; readonly error: unknown }
  /** No answer (connection reset, timeout): the request may even still be in flight. */
  | { readonly kind: 'no-answer'; readonly error: unknown };

/**
 * The S3 adapter. Reads, listings, unconditional puts and deletes use the SDK's bounded retries.
 * Conditional writes never do: if the first attempt of an `If-None-Match: *` PUT succeeded but its
 * answer was lost, the SDK's retry would get 412 and hide the success. This class retries them
 * itself: a 409 ConditionalRequestConflict, a 5xx (Ceph's race loser answers 500 with nothing
 * written) or a lost answer is settled by re-reading the object, and 503 SlowDown / 429 mean
 * "not processed" and are retried with jittered backoff.
 *
 * A re-read that finds exactly the bytes we sent counts as our write: callers that must know they
 * won (rather than that the content is there) must write content no rival writes.
 */
export class S3ObjectStore implements ObjectStore {
  readonly capabilities: { readonly conditionalDelete: boolean };
  private readonly reader: S3Client;
  private readonly writer: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly attempts: number;
  private readonly retryBaseDelayMs: number;

  constructor(options: S3ObjectStoreOptions) {
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.reader = options.client ?? new S3Client(clientConfig(options, READ_MAX_ATTEMPTS));
    this.writer = options.client ?? new S3Client(clientConfig(options, 1));
    this.capabilities = { conditionalDelete: options.conditionalDelete ?? false };
    this.attempts = Math.max(1, options.conditionalWriteAttempts ?? DEFAULT_CONDITIONAL_WRITE_ATTEMPTS);
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const response = await this.reader.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.full(key) }));
      if (response.Body === undefined) throw new Error('GetObject answered without a body');
      const body = await response.Body.transformToByteArray();
      return { body, etag: normaliseEtag(response.ETag ?? '') };
    } catch (error) {
      if (errorName(error) === 'NoSuchKey') return undefined;
      throw storeFailure(`GET ${key}`, error);
    }
  }

  putIfAbsent(key: string, body: Uint8Array): Promise<WriteResult> {
    return this.conditionalPut(key, body, { IfNoneMatch: '*' }, (current) => current === undefined);
  }

  putIfMatch(key: string, body: Uint8Array, etag: string): Promise<WriteResult> {
    const expected = normaliseEtag(etag);
    // Unquoted: Ceph RGW refuses a quoted If-Match, AWS accepts both.
    return this.conditionalPut(key, body, { IfMatch: expected }, (current) => current?.etag === expected);
  }

  async put(key: string, body: Uint8Array): Promise<{ etag: string }> {
    try {
      const response = await this.reader.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.full(key), Body: body }));
      return { etag: normaliseEtag(response.ETag ?? '') };
    } catch (error) {
      throw storeFailure(`PUT ${key}`, error);
    }
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<{ deleted: boolean }> {
    const ifMatch = options.ifMatch !== undefined && this.capabilities.conditionalDelete ? normaliseEtag(options.ifMatch) : undefined;
    // A deadline-bound delete goes out once, through the client that never retries, and is abandoned
    // at its timeout: a retry could otherwise land long after the deadline that made it safe.
    const client = options.timeoutMs !== undefined ? this.writer : this.reader;
    const abortSignal = options.timeoutMs !== undefined ? AbortSignal.timeout(Math.max(1, options.timeoutMs)) : undefined;
    try {
      await client.send(
        new DeleteObjectCommand({ Bucket: this.bucket, Key: this.full(key), ...(ifMatch !== undefined ? { IfMatch: ifMatch } : {}) }),
        abortSignal !== undefined ? { abortSignal } : {},
      );
      return { deleted: true };
    } catch (error) {
      if (statusOf(error) === 412) return { deleted: false };
      // AWS answers 404 to a conditional delete of a missing key: it is gone, as asked.
      if (errorName(error) === 'NoSuchKey') return { deleted: true };
      throw storeFailure(`DELETE ${key}`, error);
    }
  }

  async list(options: ListOptions): Promise<ListPage> {
    try {
      const response = await this.reader.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.full(options.prefix),
          ...(options.delimiter !== undefined ? { Delimiter: options.delimiter } : {}),
          ...(options.startAfter !== undefined ? { StartAfter: this.full(options.startAfter) } : {}),
          ...(options.continuationToken !== undefined ? { ContinuationToken: options.continuationToken } : {}),
          ...(options.maxKeys !== undefined ? { MaxKeys: options.maxKeys } : {}),
        }),
      );
      return {
        objects: (response.Contents ?? []).map((o) => ({
          key: this.strip(o.Key ?? ''),
          etag: normaliseEtag(o.ETag ?? ''),
          size: o.Size ?? 0,
          ...(o.LastModified !== undefined ? { lastModifiedMs: o.LastModified.getTime() } : {}),
        })),
        commonPrefixes: (response.CommonPrefixes ?? []).map((p) => this.strip(p.Prefix ?? '')),
        ...(response.IsTruncated === true && response.NextContinuationToken !== undefined
          ? { nextContinuationToken: response.NextContinuationToken }
          : {}),
      };
    } catch (error) {
      throw storeFailure(`LIST ${options.prefix}`, error);
    }
  }

  private full(key: string): string {
    return this.prefix === '' ? key : `${this.prefix}/${key}`;
  }

  private strip(key: string): string {
    return this.prefix === '' ? key : key.slice(this.prefix.length + 1);
  }

  private async conditionalPut(
    key: string,
    body: Uint8Array,
    condition: Condition,
    conditionStillHolds: (current: StoredObject | undefined) => boolean,
  ): Promise<WriteResult> {
    // Once an attempt ended without a clear answer, a later refusal may be that attempt's own write.
    let earlierAttemptMayHaveLanded = false;
    let someAttemptGotNoAnswer = false;
    let lastOutcome: AttemptOutcome | undefined;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      if (attempt > 0) await sleep(this.backoff(attempt));
      const outcome = await this.attemptPut(key, body, condition);
      lastOutcome = outcome;
      if (outcome.kind === 'written') return { ok: true, etag: outcome.etag };
      if (outcome.kind === 'refused') {
        if (!earlierAttemptMayHaveLanded) return { ok: false, reason: 'precondition-failed' };
        const current = await this.reread(key);
        if (current === UNREADABLE) return { ok: false, reason: 'unknown' };
        return current !== undefined && bytesEqual(current.body, body) ? { ok: true, etag: current.etag } : { ok: false, reason: 'moved' };
      }
      // A 503 or 429 normally means "not processed", but a proxy in front of the store may answer it
      // after forwarding: a later refusal is then settled by a re-read (one GET) instead of trusted.
      earlierAttemptMayHaveLanded = true;
      if (outcome.kind === 'not-processed') continue;
      if (outcome.kind === 'no-answer') someAttemptGotNoAnswer = true;
      const current = await this.reread(key);
      if (current === UNREADABLE) {
        someAttemptGotNoAnswer = true;
        continue;
      }
      if (current !== undefined && bytesEqual(current.body, body)) return { ok: true, etag: current.etag };
      // Someone else's content: ours may have landed first and been replaced since. Only the caller can tell.
      if (!conditionStillHolds(current)) return { ok: false, reason: 'moved' };
    }
    // An attempt that got no answer may still land after our last look.
    if (someAttemptGotNoAnswer) return { ok: false, reason: 'unknown' };
    // Only "not processed" answers (and settled failures): one last look before saying nothing landed.
    const current = await this.reread(key);
    if (current === UNREADABLE) return { ok: false, reason: 'unknown' };
    if (current !== undefined && bytesEqual(current.body, body)) return { ok: true, etag: current.etag };
    if (!conditionStillHolds(current)) return { ok: false, reason: 'moved' };
    const cause = lastOutcome !== undefined && 'error' in lastOutcome ? lastOutcome.error : undefined;
    throw new ServiceUnavailableError(`The object store did not accept a write after ${this.attempts} attempts; retry later`, { cause });
  }

  /** A re-read that settles a doubtful write; its own failure leaves the write in doubt, it does not throw. */
  private async reread(key: string): Promise<StoredObject | undefined | typeof UNREADABLE> {
    return this.get(key).catch((): typeof UNREADABLE => UNREADABLE);
  }

  private async attemptPut(key: string, body: Uint8Array, condition: Condition): Promise<AttemptOutcome> {
    try {
      const response = await this.writer.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.full(key), Body: body, ...condition }));
      return { kind: 'written', etag: normaliseEtag(response.ETag ?? '') };
    } catch (error) {
      const status = statusOf(error);
      const name = errorName(error);
      if (status === 412) return { kind: 'refused' };
      // If-Match on a missing key: AWS answers 404 NoSuchKey, Ceph RGW 412.
      if (name === 'NoSuchKey' && 'IfMatch' in condition) return { kind: 'refused' };
      if (status === 503 || status === 429 || name === 'SlowDown' || name === 'RequestTimeout') return { kind: 'not-processed', error };
      if (status === 409 || (status !== undefined && status >= 500)) return { kind: 'failed', error };
      // No HTTP answer: a reset, a timeout, or a local fault; the re-read settles which.
      if (status === undefined) return { kind: 'no-answer', error };
      throw storeFailure(`conditional PUT ${key}`, error);
    }
  }

  /** Full jitter: spreads racing writers apart instead of having them collide again in step. */
  private backoff(attempt: number): number {
    return fullJitterDelay(attempt, this.retryBaseDelayMs, MAX_RETRY_DELAY_MS, Math.random);
  }
}

/** Creates the bucket if it does not exist (tests, the local server against Ceph or MinIO). */
export async function ensureBucket(options: S3ObjectStoreOptions): Promise<void> {
  const client = options.client ?? new S3Client(clientConfig(options, READ_MAX_ATTEMPTS));
  const bucketExists = async () => {
    try {
      await client.send(new HeadBucketCommand({ Bucket: options.bucket }));
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw storeFailure(`HEAD bucket ${options.bucket}`, error);
    }
  };
  try {
    if (await bucketExists()) return;
    // Outside us-east-1, AWS wants the region spelled out; custom endpoints name their own zones.
    const region = options.region ?? 'us-east-1';
    // The SDK's list of regions lags AWS's, so any name is passed through.
    const location = region as BucketLocationConstraint;
    const configuration = options.endpoint === undefined && region !== 'us-east-1' ? { CreateBucketConfiguration: { LocationConstraint: location } } : {};
    try {
      await client.send(new CreateBucketCommand({ Bucket: options.bucket, ...configuration }));
    } catch (error) {
      const name = errorName(error);
      if (name === 'BucketAlreadyOwnedByYou') return;
      // A concurrent creator (or a server that says "exists" to its owner): fine if we can see it now.
      if (name === 'BucketAlreadyExists' && (await bucketExists())) return;
      throw storeFailure(`CREATE bucket ${options.bucket}`, error);
    }
  } finally {
    if (options.client === undefined) client.destroy();
  }
}

function clientConfig(options: S3ObjectStoreOptions, maxAttempts: number): S3ClientConfig {
  return {
    region: options.region ?? 'us-east-1',
    maxAttempts,
    // Ceph RGW answers 411 to the SDK's default streaming checksums; send them only where required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // Without timeouts a stalled connection would hang the request until the Lambda dies.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 30_000, throwOnRequestTimeout: true },
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.forcePathStyle !== undefined ? { forcePathStyle: options.forcePathStyle } : {}),
    ...(options.credentials !== undefined ? { credentials: { ...options.credentials } } : {}),
  };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

function errorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const { name, Code } = error as { name?: unknown; Code?: unknown };
  return typeof Code === 'string' ? Code : typeof name === 'string' ? name : '';
}

/** Throttling becomes a 503 for the client; anything else is an unexpected failure (500). */
function storeFailure(what: string, error: unknown): Error {
  const status = statusOf(error);
  const name = errorName(error);
  // The client sees the message: the key stays in the cause, for the log.
  const detail = new Error(`${what}: ${name || 'error'}${status !== undefined ? ` (HTTP ${status})` : ''}`, { cause: error });
  if (status === 503 || status === 429 || name === 'SlowDown') {
    return new ServiceUnavailableError('The object store is throttling requests; retry later', { cause: detail });
  }
  // No answer, or a server error: a read can simply be tried again (fault review F7: a 503 tells
  // clients so, where a 500 reads as an unknown outcome). Writes settle their own doubt before this.
  if (status === undefined || status >= 500) {
    return new ServiceUnavailableError('The object store did not answer; retry later', { cause: detail });
  }
  const hint = status === 403 && what.startsWith('GET ') ? ' (AWS answers 403 for a missing key when the role lacks s3:ListBucket)' : '';
  return new Error(`Object store request failed: ${what}: ${name || 'error'}${status !== undefined ? ` (HTTP ${status})` : ''}${hint}`, { cause: error });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
