import { isJsonObject, type JsonValue } from '../../json/lossless-json.js';

/**
 * What an Idempotency-Key buys: the first final answer, kept as a catalog record and replayed to
 * every retry with the same key for the advertised lifetime. `in-progress` marks a first request
 * still running, so a concurrent duplicate waits for it instead of acting twice.
 */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The response body exactly as sent (JSON text), if any. */
  readonly body?: string;
}

export type Receipt =
  | { readonly state: 'in-progress'; readonly requestHash: string; readonly startedAtMs: number; readonly expiresAtMs: number }
  | { readonly state: 'done'; readonly requestHash: string; readonly startedAtMs: number; readonly expiresAtMs: number; readonly response: StoredResponse };

export function receiptToJson(receipt: Receipt): JsonValue {
  const base = { state: receipt.state, 'request-hash': receipt.requestHash, 'started-at-ms': receipt.startedAtMs, 'expires-at-ms': receipt.expiresAtMs };
  if (receipt.state === 'in-progress') return base;
  const response: Record<string, JsonValue> = { status: receipt.response.status, headers: { ...receipt.response.headers } };
  if (receipt.response.body !== undefined) response['body'] = receipt.response.body;
  return { ...base, response };
}

export function readReceipt(value: JsonValue, key: string): Receipt {
  const fail = (): never => {
    throw new Error(`Corrupt idempotency receipt at ${key}`);
  };
  if (!isJsonObject(value)) return fail();
  const requestHash = value['request-hash'];
  const startedAtMs = value['started-at-ms'];
  const expiresAtMs = value['expires-at-ms'];
  if (typeof requestHash !== 'string' || typeof startedAtMs !== 'number' || typeof expiresAtMs !== 'number') return fail();
  if (value['state'] === 'in-progress') return { state: 'in-progress', requestHash, startedAtMs, expiresAtMs };
  const response = value['response'];
  if (value['state'] !== 'done' || !isJsonObject(response) || typeof response['status'] !== 'number' || !isJsonObject(response['headers'])) return fail();
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(response['headers'])) if (typeof v === 'string') headers[name] = v;
  const body = response['body'];
  return {
    state: 'done',
    requestHash,
    startedAtMs,
    expiresAtMs,
    response: { status: response['status'], headers, ...(typeof body === 'string' ? { body } : {}) },
  };
}
