import { randomUUID } from 'node:crypto';
import type { OAuthErrorBody } from '../auth/oauth-token.js';
import { CatalogError } from '../errors.js';

/**
 * The one place errors become HTTP answers, in the spec's model:
 * `{"error": {"message", "type", "code"}}` with `code` equal to the status. Anything that is not a
 * CatalogError is a bug or an outage: the client gets a generic 500 with an error id, and the
 * details (cause chain, stack) go to the log only.
 */
export interface ErrorBody {
  readonly error: { readonly message: string; readonly type: string; readonly code: number };
}

export interface MappedError {
  readonly status: number;
  readonly body: ErrorBody;
  /** Set for unexpected errors: what the log line must carry. */
  readonly internal?: { readonly errorId: string; readonly detail: string };
}

export function errorBody(status: number, type: string, message: string): ErrorBody {
  return { error: { message, type, code: status } };
}

function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof Error) {
      parts.push(current.stack ?? `${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join('\ncaused by: ');
}

export function mapError(error: unknown): MappedError {
  if (error instanceof CatalogError) return { status: error.status, body: errorBody(error.status, error.type, error.message) };
  const errorId = randomUUID();
  return {
    status: 500,
    body: errorBody(500, 'InternalServerError', `Internal server error (error id ${errorId})`),
    internal: { errorId, detail: describe(error) },
  };
}

/**
 * Operations whose spec response list has no 404. createNamespace targets the namespace collection,
 * which exists; what can be missing is the parent namespace or the warehouse named in the request
 * (or what a denial disguises as missing, see accessDeniedError). signRequest: the table whose
 * files are to be signed for (missing, or hidden from the caller). The spec's generated clients know
 * only the listed statuses, so those not-founds answer 400, with the type and message unchanged:
 * a missing and a hidden parent still look the same.
 */
const OPERATIONS_WITHOUT_NOT_FOUND: ReadonlySet<string> = new Set(['createNamespace', 'signRequest']);

/** mapError, with the status fitted to what the operation's spec lists. */
export function mapErrorFor(operationId: string, error: unknown): MappedError {
  const mapped = mapError(error);
  if (mapped.status !== 404 || !OPERATIONS_WITHOUT_NOT_FOUND.has(operationId)) return mapped;
  return { ...mapped, status: 400, body: errorBody(400, mapped.body.error.type, mapped.body.error.message) };
}

/**
 * The token endpoint's answer for a thrown error, in the spec's OAuthError model (getToken lists
 * OAuthErrorResponse for 400, 401 and 5XX, nothing else). A refusal raised before the grant runs
 * (content type, body size, encoding, a form that does not parse) is the client's malformed
 * request: 400 `invalid_request`, whatever status the Iceberg model would give it (415, 413). A
 * fault keeps its 5xx and its logged error id; the spec's codes have none for a fault, so the body
 * says `invalid_request` (the one code that blames no credential) and the status and description
 * say what happened.
 */
export interface MappedOAuthError {
  readonly status: number;
  readonly body: OAuthErrorBody;
  readonly internal?: { readonly errorId: string; readonly detail: string };
}

export function mapOAuthError(error: unknown): MappedOAuthError {
  const mapped = mapError(error);
  const { message } = mapped.body.error;
  const internal = mapped.internal !== undefined ? { internal: mapped.internal } : {};
  if (mapped.status >= 500) return { status: mapped.status, body: { error: 'invalid_request', error_description: message }, ...internal };
  if (mapped.status === 401) return { status: 401, body: { error: 'invalid_client', error_description: message } };
  return { status: 400, body: { error: 'invalid_request', error_description: message } };
}
