import type { JsonValue } from '../json/lossless-json.js';
import { ServiceUnavailableError } from '../errors.js';
import { bytesEqual, normaliseEtag, type ObjectStore, type StoredObject, type WriteResult } from './object-store.js';
import type { RecordCodec } from './record-codec.js';

export interface VersionedRecord<T> {
  readonly value: T;
  readonly etag: string;
}

/** Parses a decoded record into its typed form; throws when the stored shape is not the expected one. */
export type RecordReader<T> = (value: JsonValue, key: string) => T;

/**
 * The outcome of a conditional write that was settled by re-reading (invariant 8).
 * - `precondition-failed`: refused, and no attempt of ours was ever in doubt: it did not and cannot land.
 * - `moved`: an attempt's outcome was in doubt and the key now holds other content. Ours may have
 *   landed first and been replaced since; only the caller's lineage check (is my change an ancestor
 *   of what is there now?) can tell. Ours can no longer land: the condition it carried is gone.
 * - `unknown`: the key still satisfies our condition, and a lost attempt of ours may still land.
 *   Nothing this write could make current may be cleaned up.
 */
export type SettledWrite =
  | { readonly ok: true; readonly etag: string }
  | { readonly ok: false; readonly reason: 'precondition-failed' | 'moved' | 'unknown' };

export interface WriteOptions {
  /** Marks the record in its stored size (odd when flagged), see `isFlagged`. */
  readonly flagged?: boolean;
}

/** A field readers ignore, added only to set a record's size parity. */
const PAD_FIELD = '~';

/** The hint `WriteOptions.flagged` leaves, read from a listing's size. */
export function isFlagged(size: number): boolean {
  return size % 2 === 1;
}

/** Sends of one write (the same bytes each time) before its outcome is reported as unknown. */
export const SETTLE_ATTEMPTS = 4;

const UNKNOWN: WriteResult = { ok: false, reason: 'unknown' };
const UNREADABLE = Symbol('unreadable');

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

  /** `If-None-Match: *`, settled: a lost answer is resolved by re-reading and re-sending the same bytes. */
  async create(key: string, value: JsonValue, options: WriteOptions = {}): Promise<SettledWrite> {
    const body = await this.encode(key, value, options);
    return this.settle(key, body, undefined, () => this.objects.putIfAbsent(key, body));
  }

  /** `If-Match: etag`, settled the same way. */
  async replace(key: string, value: JsonValue, etag: string, options: WriteOptions = {}): Promise<SettledWrite> {
    const body = await this.encode(key, value, options);
    return this.settle(key, body, normaliseEtag(etag), () => this.objects.putIfMatch(key, body, etag));
  }

  /**
   * With `flagged` set, pads an object record until its stored size has the asked-for parity, so a
   * listing (which reports sizes for free) can tell flagged records apart without reading them.
   */
  private async encode(key: string, value: JsonValue, options: WriteOptions): Promise<Uint8Array> {
    if (options.flagged === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return this.codec.encode(key, value);
    const wanted = options.flagged ? 1 : 0;
    let body = await this.codec.encode(key, value);
    // `,"~":""` and `,"~":" "` differ in length by one: one of the three candidates has each parity.
    for (const pad of ['', ' ', '  ']) {
      if (body.byteLength % 2 === wanted) return body;
      body = await this.codec.encode(key, { ...value, [PAD_FIELD]: pad });
    }
    if (body.byteLength % 2 === wanted) return body;
    throw new Error(`Could not pad record ${key} to the parity its listing hint needs`);
  }

  async delete(key: string): Promise<void> {
    await this.objects.delete(key);
  }

  /**
   * Sends the write until its outcome is known. Re-sending the same bytes under the same condition is
   * harmless: at most one send can satisfy it, and a later one that finds our own bytes there counts
   * as ours (encrypted records carry a random nonce, so no rival writes the same bytes).
   */
  private async settle(key: string, body: Uint8Array, expectedEtag: string | undefined, send: () => Promise<WriteResult>): Promise<SettledWrite> {
    let inDoubt = false;
    for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
      let result: WriteResult;
      try {
        result = await send();
      } catch (error) {
        // The adapter says nothing was processed: with no earlier doubt, nothing of ours can land.
        if (error instanceof ServiceUnavailableError && !inDoubt) throw error;
        result = UNKNOWN;
      }
      if (result.ok) return result;
      if (result.reason === 'precondition-failed' && !inDoubt) return { ok: false, reason: 'precondition-failed' };
      // The adapter already re-read: other content is there, and ours can no longer land.
      if (result.reason === 'moved') return result;
      inDoubt = true;
      const current = await this.objects.get(key).catch((): typeof UNREADABLE => UNREADABLE);
      if (current === UNREADABLE) continue;
      if (current !== undefined && bytesEqual(current.body, body)) return { ok: true, etag: current.etag };
      if (!conditionHolds(current, expectedEtag)) return { ok: false, reason: 'moved' };
    }
    return { ok: false, reason: 'unknown' };
  }
}

function conditionHolds(current: StoredObject | undefined, expectedEtag: string | undefined): boolean {
  return expectedEtag === undefined ? current === undefined : current?.etag === expectedEtag;
}
