import type { AccessSession } from '../../core/auth/authorizer.js';
import type { Principal } from '../../core/auth/principal.js';
import type { RouteDefinition } from '../../core/http/routes.js';
import type { IdempotencyStart } from '../../core/catalog/idempotency/idempotency.js';
import type { JsonValue } from '../../core/json/lossless-json.js';

/**
 * Per-request state shared by the middlewares and the handler, kept under one typed key (the event
 * object, unique per invocation) instead of ad-hoc fields on it.
 */
export interface RequestState {
  readonly route: RouteDefinition;
  readonly requestId: string;
  readonly startedAt: number;
  body?: JsonValue;
  /** Who is calling, once authenticated; scopes idempotency receipts. */
  caller?: string;
  idempotency?: IdempotencyStart;
  /** The authenticated principal (the anonymous one when auth is disabled; unset on public routes). */
  principal?: Principal;
  /** The request's authorization session, once allowed: list routes filter by its `canSee`. */
  access?: AccessSession;
  errorType?: string;
  errorId?: string;
}

const states = new WeakMap<object, RequestState>();

export function setRequestState(event: object, state: RequestState): RequestState {
  states.set(event, state);
  return state;
}

export function requestState(event: object): RequestState {
  const state = states.get(event);
  if (state === undefined) throw new Error('request state read before the request-context middleware ran');
  return state;
}
