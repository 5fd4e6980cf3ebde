import { createHash } from 'node:crypto';
import { BadRequestError, ConcurrentModificationError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import { deleteBeforeDeadline, GUARDED_DELETE_TIMEOUT_MS, MAX_CLOCK_SKEW_MS } from '../deadlines.js';
import { MAX_CAS_ATTEMPTS, pause } from '../retry.js';
import { readReceipt, receiptToJson, type Receipt, type StoredResponse } from './receipt.js';

/**
 * A first request still `in-progress` after this long died without answering: its key may run
 * again. Requests end long before (Lambda 30 s, the local server 19 s), so a live one never loses its claim.
 */
export const IN_PROGRESS_TIMEOUT_MS = 60_000;
/** A release is sent only this long before the claim times out: the longest delete plus clock skew. */
const RELEASE_MARGIN_MS = GUARDED_DELETE_TIMEOUT_MS + MAX_CLOCK_SKEW_MS;
/** How long a duplicate waits for the first request to finish before answering 409 (retry later). */
const WAIT_ATTEMPTS = 40;
const WAIT_STEP_MS = 100;

/** 409s that say "retry": a concurrent writer held the object, nothing was decided about the request. */
const TRANSIENT_CONFLICT_TYPES = new Set(['ConcurrentModificationException']);

/**
 * Answers that are final for a key: success, and client errors that a retry would get again.
 * 5xx (and 401/403/429, which depend on credentials or load) are never stored, nor a 409 that
 * asks for a retry: a retry runs anew.
 */
export function isFinal(response: Pick<StoredResponse, 'status' | 'body'>): boolean {
  const { status } = response;
  if (status === 409 && TRANSIENT_CONFLICT_TYPES.has(errorTypeOf(response.body) ?? '')) return false;
  return (status >= 200 && status < 300) || [400, 404, 406, 409, 422].includes(status);
}

function errorTypeOf(body: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    const error = typeof parsed === 'object' && parsed !== null ? (parsed as { error?: { type?: unknown } }).error : undefined;
    return typeof error?.type === 'string' ? error.type : undefined;
  } catch {
    return undefined;
  }
}

export interface IdempotencyScope {
  readonly warehouse: string;
  readonly caller: string;
  readonly method: string;
  readonly path: string;
  readonly key: string;
  /** The request body text; a key reused with another body is refused. */
  readonly body: string;
}

export type IdempotencyStart =
  | { readonly kind: 'execute'; readonly receiptKey: string; readonly etag: string; readonly receipt: Receipt }
  | { readonly kind: 'replay'; readonly response: StoredResponse };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function receiptKeyOf(ctx: CatalogContext, scope: IdempotencyScope): string {
  return ctx.keys.idempotencyReceipt(scope.warehouse, sha256([scope.caller, scope.method, scope.path, scope.key].join('\n')));
}

/**
 * Claims the key for this request (If-None-Match: *), or finds the first request's answer to
 * replay. A duplicate arriving while the first still runs waits for it rather than acting twice.
 */
export async function beginIdempotent(ctx: CatalogContext, scope: IdempotencyScope, lifetimeMs: number): Promise<IdempotencyStart> {
  const receiptKey = receiptKeyOf(ctx, scope);
  const requestHash = sha256(scope.body);
  for (let attempt = 0; attempt < WAIT_ATTEMPTS; attempt++) {
    const now = ctx.clock.now();
    const claim: Receipt = { state: 'in-progress', requestHash, startedAtMs: now, expiresAtMs: now + lifetimeMs };
    const existing = await ctx.records.read(receiptKey, readReceipt);
    if (existing === undefined) {
      const created = await ctx.records.create(receiptKey, receiptToJson(claim));
      if (created.ok) return { kind: 'execute', receiptKey, etag: created.etag, receipt: claim };
      continue;
    }
    const receipt = existing.value;
    const forgotten = receipt.state === 'done' ? now >= receipt.expiresAtMs : now - receipt.startedAtMs >= IN_PROGRESS_TIMEOUT_MS;
    if (forgotten) {
      const replaced = await ctx.records.replace(receiptKey, receiptToJson(claim), existing.etag);
      if (replaced.ok) return { kind: 'execute', receiptKey, etag: replaced.etag, receipt: claim };
      continue;
    }
    if (receipt.requestHash !== requestHash) {
      // 400, not the 422 of the IETF Idempotency-Key draft: the Iceberg spec lists 422 for
      // updateProperties only, and 400 for every operation that takes the key.
      throw new BadRequestError('Idempotency-Key was already used with a different request body');
    }
    if (receipt.state === 'done') return { kind: 'replay', response: receipt.response };
    await ctx.sleep(WAIT_STEP_MS);
  }
  throw new ConcurrentModificationError('A request with this Idempotency-Key is still in progress; retry later');
}

/** Stores a final answer for replay, or releases the key so a retry runs again. */
export async function finishIdempotent(ctx: CatalogContext, start: Extract<IdempotencyStart, { kind: 'execute' }>, response: StoredResponse): Promise<void> {
  if (!isFinal(response)) {
    // Once our claim may count as timed out, a duplicate may have claimed the key: leave it to expire.
    await deleteBeforeDeadline(ctx, start.receiptKey, start.etag, start.receipt.startedAtMs + IN_PROGRESS_TIMEOUT_MS - RELEASE_MARGIN_MS);
    return;
  }
  const done: Receipt = { ...start.receipt, state: 'done', response };
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const stored = await ctx.records.replace(start.receiptKey, receiptToJson(done), start.etag);
    if (stored.ok || stored.reason === 'precondition-failed') return;
    await pause(ctx, attempt);
  }
}
