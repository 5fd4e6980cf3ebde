import type { ActionId } from '../auth/actions.js';
import type { Principal } from '../auth/principal.js';
import type { ResourceRef } from '../auth/resources.js';
import type { CatalogContext } from '../catalog/context.js';
import type { JsonValue } from '../json/lossless-json.js';
import type { RouteDefinition } from './routes.js';

/** A request as the catalog sees it: no Lambda or Node HTTP types. */
export interface OperationRequest {
  readonly route: RouteDefinition;
  readonly requestId: string;
  /** Path parameters as they appear in the path (still encoded when the path was). */
  readonly pathParams: Readonly<Record<string, string>>;
  /** Query parameters, form-decoded once; a repeated parameter keeps its first value. */
  readonly query: ReadonlyMap<string, string>;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON body (lossless), undefined when the request had none. */
  readonly body: JsonValue | undefined;
  /** Who is calling (set by the authenticate middleware; the anonymous principal when auth is disabled). */
  readonly caller?: Principal;
  /**
   * What else the caller may do, for operations whose answer depends on it (vended credentials are
   * read-only or read-write as the caller may only read or also write the table). Undefined when
   * authorization is off: everything is allowed.
   */
  readonly access?: AccessDecisions;
}

export interface AccessDecisions {
  allows(action: ActionId, resource: ResourceRef): boolean;
}

/** Whether the request's caller may do `action` on `resource` (always, with authorization off). */
export function callerMay(request: OperationRequest, action: ActionId, resource: ResourceRef): boolean {
  return request.access === undefined || request.access.allows(action, resource);
}

export interface OperationResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Operation = (request: OperationRequest, context: CatalogContext) => Promise<OperationResponse>;

export const noContent = (): OperationResponse => ({ status: 204 });
export const ok = (body: unknown, headers?: Record<string, string>): OperationResponse => ({ status: 200, body, ...(headers ? { headers } : {}) });
