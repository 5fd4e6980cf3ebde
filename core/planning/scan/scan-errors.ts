/**
 * What a scan plan can fail with besides the request's own errors (an unknown snapshot or column is
 * an IllegalArgumentError / BadRequestError from core/errors.ts, as Java's server answers).
 */
import { CatalogError, UnsupportedOperationError } from '../../errors.js';

/** Paths in messages are cut to this length. */
const MAX_PATH_IN_MESSAGE = 200;

/**
 * A manifest list or manifest the plan needs cannot be read: missing, corrupt, or outside the
 * table's locations (never read then). The request is fine; the table is not, and how it got so
 * decides the answer:
 * - missing: a writer committed a snapshot naming a file it never wrote (the catalog does not read
 *   lists at commit), or it was deleted: 404 NotFoundException, Java's answer for a file not found;
 * - outside: the table's metadata names a file the catalog will not read for it (a registered
 *   table, older metadata): 403 ForbiddenException;
 * - unreadable: the file exists but is not what the table says (corrupt, an unknown spec): 500
 *   RuntimeIOException, Java's name for an I/O failure.
 * Clients made the first two; neither is a server fault an operator should be paged for.
 */
export class UnreadableScanFileError extends CatalogError {
  readonly type: string;
  readonly status: number;

  constructor(
    readonly kind: 'manifest list' | 'manifest',
    readonly location: string,
    readonly reason: 'missing' | 'outside' | 'unreadable',
    options?: { cause?: unknown },
  ) {
    const why = reason === 'missing' ? 'is missing' : reason === 'outside' ? 'lies outside the table locations' : 'cannot be read';
    super(`Cannot plan the scan: ${kind} '${location.slice(0, MAX_PATH_IN_MESSAGE)}' ${why}`, options);
    this.type = reason === 'missing' ? 'NotFoundException' : reason === 'outside' ? 'ForbiddenException' : 'RuntimeIOException';
    this.status = reason === 'missing' ? 404 : reason === 'outside' ? 403 : 500;
  }
}

/** The plan would read more manifests or entries than one response may (see plan-scan.ts). */
export class ScanTooLargeError extends UnsupportedOperationError {}
