import { randomBytes, randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FsObjectStore } from '../core/store/fs-object-store.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { throughput, timeSequential, type Summary } from './stats.js';

/**
 * The floor: what the object store itself costs, measured with the AWS SDK directly (S3) or the
 * store adapter directly (local files). The catalog's numbers are compared with these.
 */
export interface FloorResult {
  readonly get: Summary;
  /** PUT If-None-Match: * of a new key (a metadata file, a new record). */
  readonly putIfAbsent: Summary;
  /** PUT If-Match: <etag> (a pointer swap), uncontended. */
  readonly putIfMatch: Summary;
  /** LIST of a prefix holding 1,000 keys (one page). */
  readonly list1000: Summary;
  /** Accepted compare-and-swaps per second on one object, by concurrency. */
  readonly cas: Readonly<Record<number, { accepted: number; lost: number; perSecond: number }>>;
}

/** The minimal port a floor needs; implemented over the SDK for S3 and by the fs adapter locally. */
export interface FloorStore {
  get(key: string): Promise<{ body: Uint8Array; etag: string } | undefined>;
  putIfAbsent(key: string, body: Uint8Array): Promise<boolean>;
  /** The new etag, or undefined when the condition failed (or the server refused a racing write). */
  putIfMatch(key: string, body: Uint8Array, etag: string): Promise<string | undefined>;
  list(prefix: string): Promise<number>;
  delete(key: string): Promise<void>;
}

export interface S3Settings {
  readonly endpoint: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
  readonly region: string;
}

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** The floor's store for a run: the S3 endpoint of S3_* (bucket CATALOG_BUCKET), or local files in `floorDir`. */
export function floorStoreFor(store: 'fs' | 's3', floorDir: string): FloorStore {
  if (store === 'fs') return adapterFloorStore(new FsObjectStore(floorDir));
  return sdkFloorStore({
    endpoint: process.env['S3_ENDPOINT']!,
    accessKey: process.env['S3_ACCESS_KEY']!,
    secretKey: process.env['S3_SECRET_KEY']!,
    bucket: process.env['CATALOG_BUCKET']!,
    region: process.env['S3_REGION'] ?? 'us-east-1',
  });
}

export function sdkFloorStore(s3: S3Settings): FloorStore {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKey, secretAccessKey: s3.secretKey },
    maxAttempts: 1,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = s3.bucket;
  const unquote = (etag: string | undefined) => (etag ?? '').replace(/^"|"$/g, '');
  return {
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return { body: await out.Body!.transformToByteArray(), etag: unquote(out.ETag) };
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw error;
      }
    },
    async putIfAbsent(key, body) {
      try {
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, IfNoneMatch: '*' }));
        return true;
      } catch (error) {
        if (statusOf(error) === 412 || statusOf(error) === 409) return false;
        throw error;
      }
    },
    async putIfMatch(key, body, etag) {
      try {
        return unquote((await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, IfMatch: etag }))).ETag);
      } catch (error) {
        const status = statusOf(error);
        // 412: someone else swapped first; RGW's race loser may get a 500, AWS's a 409.
        if (status === 412 || status === 409 || (status !== undefined && status >= 500)) return undefined;
        throw error;
      }
    },
    async list(prefix) {
      const out = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, MaxKeys: 1000 }));
      return out.KeyCount ?? 0;
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
  };
}

export function adapterFloorStore(store: ObjectStore): FloorStore {
  return {
    get: (key) => store.get(key),
    putIfAbsent: async (key, body) => (await store.putIfAbsent(key, body)).ok,
    putIfMatch: async (key, body, etag) => {
      const out = await store.putIfMatch(key, body, etag);
      return out.ok ? out.etag : undefined;
    },
    list: async (prefix) => (await store.list({ prefix, maxKeys: 1000 })).objects.length,
    delete: async (key) => void (await store.delete(key)),
  };
}

export interface FloorPlan {
  readonly samples: number;
  readonly listSamples: number;
  readonly concurrencies: readonly number[];
  readonly casPerWorker: number;
  readonly casBudgetMs: number;
}

export async function measureFloor(store: FloorStore, prefix: string, plan: FloorPlan, log: (line: string) => void): Promise<FloorResult> {
  const body = randomBytes(1024);
  const readKey = `${prefix}/floor/read`;
  await store.putIfAbsent(readKey, body);
  log('floor: GET');
  const get = await timeSequential(plan.samples, async () => void (await store.get(readKey)), { warmup: 10, budgetMs: 30_000 });
  log('floor: PUT If-None-Match');
  const putIfAbsent = await timeSequential(plan.samples, async (i) => void (await store.putIfAbsent(`${prefix}/floor/new/${i}-${randomUUID()}`, body)), { warmup: 5, budgetMs: 30_000 });

  log('floor: PUT If-Match');
  const swapKey = `${prefix}/floor/swap`;
  await store.putIfAbsent(swapKey, body);
  let etag = (await store.get(swapKey))!.etag;
  const putIfMatch = await timeSequential(plan.samples, async () => {
    const next = await store.putIfMatch(swapKey, randomBytes(1024), etag);
    if (next === undefined) throw new Error('an uncontended If-Match PUT was refused');
    etag = next;
  }, { warmup: 5, budgetMs: 30_000 });

  log('floor: LIST of 1,000 keys');
  const listPrefix = `${prefix}/floor/list/`;
  const small = Buffer.from('{}');
  await throughput(16, 1000, async (i) => void (await store.putIfAbsent(`${listPrefix}${String(i).padStart(4, '0')}`, small)));
  const list1000 = await timeSequential(plan.listSamples, async () => {
    const n = await store.list(listPrefix);
    if (n !== 1000) throw new Error(`LIST returned ${n} keys, expected 1000`);
  }, { warmup: 2, budgetMs: 30_000 });

  const cas: Record<number, { accepted: number; lost: number; perSecond: number }> = {};
  for (const workers of plan.concurrencies) {
    log(`floor: compare-and-swap, ${workers} concurrent`);
    const key = `${prefix}/floor/cas-${workers}`;
    await store.putIfAbsent(key, body);
    let lost = 0;
    let accepted = 0;
    const target = workers * plan.casPerWorker;
    const deadline = performance.now() + plan.casBudgetMs;
    const result = await throughput(workers, target, async () => {
      // Read, then swap; a lost swap reads again (bounded by count and by the level's deadline).
      for (let attempt = 0; attempt < 10_000 && performance.now() < deadline; attempt++) {
        const current = await store.get(key);
        if (current !== undefined && (await store.putIfMatch(key, randomBytes(64), current.etag)) !== undefined) {
          accepted++;
          return;
        }
        lost++;
      }
      if (performance.now() < deadline) throw new Error('a compare-and-swap worker starved');
    }, plan.casBudgetMs);
    cas[workers] = { accepted, lost, perSecond: accepted / result.seconds };
  }
  return { get, putIfAbsent, putIfMatch, list1000, cas };
}

