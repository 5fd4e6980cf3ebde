import { isJsonObject, type JsonValue } from '../../json/lossless-json.js';

/**
 * A commit that lost its pointer swap under contention, left beside the table for whoever swaps
 * next (docs/storage-protocol.md, "Group commit"). `request` is the client's own CommitTableRequest
 * parts as received; a folder validates and applies them on its base as the writer itself would.
 *
 * `claims` is the whole truth about whether the intent was applied: every folder that puts it into
 * a metadata file names that file here (If-Match on this record) before swapping the pointer, and
 * all of one claim's files are built on the same base, so at most one of them can ever land.
 */
export interface IntentRecord {
  readonly createdMs: number;
  /** `withdrawn`: its writer answered without it; no folder may apply it any more. */
  readonly state: 'pending' | 'withdrawn';
  readonly request: { readonly requirements: JsonValue; readonly updates: JsonValue };
  readonly claims?: IntentClaims;
}

export interface IntentClaims {
  /** The metadata location every claimed file was built on. */
  readonly base: string;
  /** The metadata files (not yet swapped in when claimed) that contain this intent. */
  readonly metadata: readonly string[];
  readonly claimedMs: number;
}

export function intentToJson(intent: IntentRecord): JsonValue {
  const json: Record<string, JsonValue> = {
    'created-ms': intent.createdMs,
    state: intent.state,
    request: { requirements: intent.request.requirements, updates: intent.request.updates },
  };
  if (intent.claims !== undefined) {
    json['claims'] = { base: intent.claims.base, metadata: [...intent.claims.metadata], 'claimed-ms': intent.claims.claimedMs };
  }
  return json;
}

export function readIntentRecord(value: JsonValue, key: string): IntentRecord {
  const fail = (): never => {
    throw new Error(`Corrupt commit intent at ${key}`);
  };
  if (!isJsonObject(value)) return fail();
  const created = value['created-ms'];
  const { state, request, claims } = value;
  if (typeof created !== 'number' || (state !== 'pending' && state !== 'withdrawn') || !isJsonObject(request)) return fail();
  const requirements = request['requirements'];
  const updates = request['updates'];
  if (requirements === undefined || updates === undefined) return fail();
  const intent: IntentRecord = { createdMs: created, state, request: { requirements, updates } };
  if (claims === undefined || claims === null) return intent;
  if (!isJsonObject(claims)) return fail();
  const { base, metadata } = claims;
  const claimedMs = claims['claimed-ms'];
  if (typeof base !== 'string' || typeof claimedMs !== 'number' || !Array.isArray(metadata) || !metadata.every((m) => typeof m === 'string')) return fail();
  return { ...intent, claims: { base, metadata: metadata as string[], claimedMs } };
}

/** Names sort by creation time, so a folder applies intents in the order they were left. */
export function intentName(createdMs: number, uuid: string): string {
  return `${String(createdMs).padStart(15, '0')}-${uuid}`;
}

/** The intent with `metadataLocation` added to its claims (a fresh claim when the old one is void). */
export function claimedBy(intent: IntentRecord, base: string, metadataLocation: string, nowMs: number, keepEarlier: boolean): IntentRecord {
  const earlier = keepEarlier && intent.claims !== undefined && intent.claims.base === base ? intent.claims.metadata : [];
  return { ...intent, claims: { base, metadata: [...earlier, metadataLocation], claimedMs: nowMs } };
}

/** The intent without our claim (`metadataLocation` will never contain it). */
export function unclaimedBy(intent: IntentRecord, metadataLocation: string): IntentRecord {
  if (intent.claims === undefined) return intent;
  const metadata = intent.claims.metadata.filter((m) => m !== metadataLocation);
  const { claims: _claims, ...rest } = intent;
  return metadata.length === 0 ? rest : { ...rest, claims: { ...intent.claims, metadata } };
}
