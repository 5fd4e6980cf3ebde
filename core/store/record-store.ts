import type { JsonValue } from '../json/lossless-json.js';
import type { ObjectStore, WriteResult } from './object-store.js';
import type { RecordCodec } from './record-codec.js';

export interface VersionedRecord<T> {
  readonly value: T;
  readonly etag: string;
}

/** Parses a decoded record into its typed form; throws when the stored shape is not the expected one. */
export type RecordReader<T> = (value: JsonValue, key: string) => T;

/** Catalog records (JSON through a codec) on the object store, with the store's conditional writes. */
export class RecordStore {
  constructor(
    readonly objects: ObjectStore,
    private readonly codec: RecordCodec,
  ) {}

  async read<T>(key: string, reader: RecordReader<T>): Promise<VersionedRecord<T> | undefined> {
    const stored = await this.objects.get(key);
    if (stored === undefined) return undefined;
    const value = reader(await this.codec.decode(key, stored.body), key);
    return { value, etag: stored.etag };
  }

  async create(key: string, value: JsonValue): Promise<WriteResult> {
    return this.objects.putIfAbsent(key, await this.codec.encode(key, value));
  }

  async replace(key: string, value: JsonValue, etag: string): Promise<WriteResult> {
    return this.objects.putIfMatch(key, await this.codec.encode(key, value), etag);
  }

  async delete(key: string): Promise<void> {
    await this.objects.delete(key);
  }
}
