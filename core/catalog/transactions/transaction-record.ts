import { isJsonObject, type JsonValue } from '../../json/lossless-json.js';
import { TRANSITION_EXPIRY_MS } from '../deadlines.js';

/**
 * The single commit point of a multi-object change. Pointers taking part carry a pending change
 * naming this record; the swap of `state` from `pending` to `committed` (If-Match) makes every one
 * of those changes visible at once, and `aborted` makes all of them void.
 */
export type TransactionState = 'pending' | 'committed' | 'aborted';

export interface TransactionRecord {
  readonly state: TransactionState;
  readonly createdAtMs: number;
  /** After this anyone who meets the transaction may abort it: its writer is presumed dead. */
  readonly expiresAtMs: number;
  /** The pointer keys it changes, in canonical (sorted) order. */
  readonly keys: readonly string[];
}

/**
 * A writer reaches the commit point within WRITER_DEADLINE_MS or aborts, so a live writer is never
 * aborted by others; after a crash the tables stay blocked for at most this long.
 */
export const TRANSACTION_EXPIRY_MS = TRANSITION_EXPIRY_MS;

export function transactionToJson(record: TransactionRecord): JsonValue {
  return { state: record.state, 'created-at-ms': record.createdAtMs, 'expires-at-ms': record.expiresAtMs, keys: [...record.keys] };
}

export function readTransactionRecord(value: JsonValue, key: string): TransactionRecord {
  if (!isJsonObject(value)) throw new Error(`Corrupt transaction record at ${key}`);
  const { state, keys } = value;
  const created = value['created-at-ms'];
  const expires = value['expires-at-ms'];
  if (state !== 'pending' && state !== 'committed' && state !== 'aborted') throw new Error(`Corrupt transaction record at ${key}`);
  if (typeof created !== 'number' || typeof expires !== 'number' || !Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw new Error(`Corrupt transaction record at ${key}`);
  }
  return { state, createdAtMs: created, expiresAtMs: expires, keys: keys as string[] };
}
