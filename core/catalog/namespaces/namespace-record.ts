import { isJsonObject, type JsonValue } from '../../json/lossless-json.js';
import { TRANSITION_EXPIRY_MS, WRITER_DEADLINE_MS } from '../deadlines.js';
import type { Namespace } from '../namespace.js';

/**
 * The stored namespace. `dropping` marks a drop in progress: writers that create something inside
 * the namespace wait for it to resolve, so a drop and a create never both succeed (invariant 3).
 */
export type NamespaceState =
  | { readonly state: 'active' }
  | { readonly state: 'dropping'; readonly dropToken: string; readonly sinceMs: number };

export interface NamespaceRecord {
  readonly namespace: Namespace;
  readonly properties: Readonly<Record<string, string>>;
  readonly createdAtMs: number;
  readonly status: NamespaceState;
}

/**
 * A drop must finish well within this time or give up; a `dropping` mark older than
 * DROP_MARK_EXPIRY_MS belongs to a dropper that died and is treated as active. The gap between the
 * two covers request timeouts and clock skew.
 */
export const DROP_DEADLINE_MS = WRITER_DEADLINE_MS;
export const DROP_MARK_EXPIRY_MS = TRANSITION_EXPIRY_MS;

export function isEffectivelyDropping(record: NamespaceRecord, nowMs: number): boolean {
  return record.status.state === 'dropping' && nowMs - record.status.sinceMs < DROP_MARK_EXPIRY_MS;
}

export function namespaceRecordToJson(record: NamespaceRecord): JsonValue {
  return {
    namespace: [...record.namespace],
    properties: { ...record.properties },
    'created-at-ms': record.createdAtMs,
    status: { ...record.status },
  };
}

export function readNamespaceRecord(value: JsonValue, key: string): NamespaceRecord {
  const fail = (): never => {
    throw new Error(`Corrupt namespace record at ${key}`);
  };
  if (!isJsonObject(value)) return fail();
  const { namespace, properties, status } = value;
  const createdAtMs = value['created-at-ms'];
  if (!Array.isArray(namespace) || !namespace.every((l) => typeof l === 'string')) return fail();
  if (!isJsonObject(properties) || !Object.values(properties).every((v) => typeof v === 'string')) return fail();
  if (typeof createdAtMs !== 'number' || !isJsonObject(status)) return fail();
  let parsedStatus: NamespaceState;
  if (status.state === 'active') parsedStatus = { state: 'active' };
  else if (status.state === 'dropping' && typeof status.dropToken === 'string' && typeof status.sinceMs === 'number') {
    parsedStatus = { state: 'dropping', dropToken: status.dropToken, sinceMs: status.sinceMs };
  } else return fail();
  return {
    namespace: namespace as string[],
    properties: properties as Record<string, string>,
    createdAtMs,
    status: parsedStatus,
  };
}
