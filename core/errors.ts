/**
 * The one error hierarchy. Every failure the catalog means to report is a CatalogError whose `type`
 * is the Iceberg spec's error type and whose `status` is the HTTP status; `core/http/error-response.ts`
 * alone turns them into the wire format. Anything else is a bug and becomes a 500.
 */
export abstract class CatalogError extends Error {
  abstract readonly type: string;
  abstract readonly status: number;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class BadRequestError extends CatalogError {
  readonly type: string = 'BadRequestException';
  readonly status: number = 400;
}

/** Java clients map this type to IllegalArgumentException; the RCK asserts it for some validations. */
export class IllegalArgumentError extends BadRequestError {
  override readonly type = 'IllegalArgumentException';
}

export class NotAuthorizedError extends CatalogError {
  readonly type = 'NotAuthorizedException';
  readonly status = 401;
}

export class ForbiddenError extends CatalogError {
  readonly type = 'ForbiddenException';
  readonly status = 403;
}

export class NotFoundError extends CatalogError {
  readonly type: string = 'NotFoundException';
  readonly status = 404;
}

export class NoSuchWarehouseError extends NotFoundError {
  override readonly type = 'NoSuchWarehouseException';
}

export class NoSuchNamespaceError extends NotFoundError {
  override readonly type = 'NoSuchNamespaceException';
}

export class NoSuchTableError extends NotFoundError {
  override readonly type = 'NoSuchTableException';
}

export class NoSuchViewError extends NotFoundError {
  override readonly type = 'NoSuchViewException';
}

export class RouteNotFoundError extends NotFoundError {
  override readonly type = 'NoSuchRouteException';
}

export class MethodNotAllowedError extends CatalogError {
  readonly type = 'MethodNotAllowedException';
  readonly status = 405;
}

export class UnsupportedOperationError extends CatalogError {
  readonly type = 'UnsupportedOperationException';
  readonly status = 406;
}

export class AlreadyExistsError extends CatalogError {
  readonly type = 'AlreadyExistsException';
  readonly status = 409;
}

export class NamespaceNotEmptyError extends CatalogError {
  readonly type = 'NamespaceNotEmptyException';
  readonly status = 409;
}

export class CommitFailedError extends CatalogError {
  readonly type = 'CommitFailedException';
  readonly status = 409;
}

/** A concurrent change made this request lose; retrying it is safe. */
export class ConcurrentModificationError extends CatalogError {
  readonly type = 'ConcurrentModificationException';
  readonly status = 409;
}

/**
 * A 400, not HTTP's 413: the Iceberg spec lists 400 for "request validation failure" on every
 * operation and 413 on none, so a client generated from it knows only the 400. The type says why.
 */
export class PayloadTooLargeError extends CatalogError {
  readonly type = 'PayloadTooLargeException';
  readonly status = 400;
}

/** A 400, not HTTP's 415, for the reason PayloadTooLargeError gives: the spec lists no 415. */
export class UnsupportedMediaTypeError extends CatalogError {
  readonly type = 'UnsupportedMediaTypeException';
  readonly status = 400;
}

export class UnprocessableEntityError extends CatalogError {
  readonly type = 'UnprocessableEntityException';
  readonly status = 422;
}

/** The outcome of a write is not known (e.g. the store failed mid-request); the client must not assume failure. */
export class CommitStateUnknownError extends CatalogError {
  readonly type = 'CommitStateUnknownException';
  readonly status = 500;
}

export class NotImplementedError extends CatalogError {
  readonly type = 'NotImplementedException';
  readonly status = 501;
}

export class ServiceUnavailableError extends CatalogError {
  readonly type = 'ServiceUnavailableException';
  readonly status = 503;
}

/** Raised at cold start for an invalid setting: the function must not start half-configured. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}
