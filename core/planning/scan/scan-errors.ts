/**
 * What a scan plan can fail with besides the request's own errors (an unknown snapshot or column is
 * an IllegalArgumentError / BadRequestError from core/errors.ts, as Java's server answers).
 */
import { CatalogError, UnsupportedOperationError } from '../../errors.js';

/** Paths in messages are cut to this length. */
const MAX_PATH_IN_MESSAGE = 200;

/**
 * A manifest list or manifest the plan needs cannot be read: missing, corrupt, or outside the
 * table's locations (never read then). A 500 under Java's name for an I/O failure: the table's
 * files are broken, the request is fine.
 */
export class UnreadableScanFileError extends CatalogError {
  readonly type = 'RuntimeIOException';
  readonly status = 500;

  constructor(
    readonly kind: 'manifest list' | 'manifest',
    readonly location: string,
    readonly reason: 'missing' | 'outside' | 'unreadable',
    options?: { cause?: unknown },
  ) {
    const why = reason === 'missing' ? 'is missing' : reason === 'outside' ? 'lies outside the table locations' : 'cannot be read';
    super(`Cannot plan the scan: ${kind} '${location.slice(0, MAX_PATH_IN_MESSAGE)}' ${why}`, options);
  }
}

/** The plan would read more manifests or entries than one response may (see plan-scan.ts). */
export class ScanTooLargeError extends UnsupportedOperationError {}
