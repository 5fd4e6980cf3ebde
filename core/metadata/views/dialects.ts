/**
 * SQL dialect rules. Dialects compare case-insensitively (Java lower-cases with `Locale.ROOT`, which
 * `toLowerCase()` matches), so "Trino" and "trino" are one dialect.
 */
import { BadRequestError, IllegalArgumentError } from '../../errors.js';
import type { ViewVersion } from './types.js';
import { REPLACE_DROP_DIALECT_ALLOWED } from './view-properties.js';

export function sqlDialects(version: ViewVersion): Set<string> {
  return new Set(version.representations.filter((each) => each.type === 'sql').map((each) => each.dialect.toLowerCase()));
}

/** The RCK matches this text and the IllegalArgumentException type exactly. */
export function checkOneQueryPerDialect(version: ViewVersion): void {
  const seen = new Set<string>();
  for (const representation of version.representations) {
    if (representation.type !== 'sql') continue;
    const dialect = representation.dialect.toLowerCase();
    if (seen.has(dialect)) throw new IllegalArgumentError(`Invalid view version: Cannot add multiple queries for dialect ${dialect}`);
    seen.add(dialect);
  }
}

/**
 * A replace must keep every dialect of the version it replaces unless the view allows dropping
 * them; otherwise engines that only read the dropped dialect would silently lose the view. Java
 * raises IllegalStateException (a 500); the request is what is wrong, so this is a 400.
 */
export function checkNoDialectDropped(previous: ViewVersion, current: ViewVersion): void {
  const before = sqlDialects(previous);
  const after = sqlDialects(current);
  if ([...before].every((dialect) => after.has(dialect))) return;
  throw new BadRequestError(
    `Cannot replace view due to loss of view dialects (${REPLACE_DROP_DIALECT_ALLOWED}=false): ` +
      `Previous dialects: [${[...before].sort().join(', ')}] - New dialects: [${[...after].sort().join(', ')}]`,
  );
}
