/**
 * View properties the engine reads (Java `ViewProperties`). A view keeps its own copies of the
 * metadata-file keys so that view behaviour stays readable next to the rules that use them.
 */
import { IllegalArgumentError } from '../../errors.js';
import { ownValue } from '../own-property.js';

export { METADATA_COMPRESSION, METADATA_PATH } from '../table-properties.js';

/** How many versions a view keeps; older ones expire on commit. */
export const VERSION_HISTORY_SIZE = 'version.history.num-entries';
export const VERSION_HISTORY_SIZE_DEFAULT = 10;
const MAX_INT = 2 ** 31 - 1;

/** Whether a replace may leave out a SQL dialect the current version has. */
export const REPLACE_DROP_DIALECT_ALLOWED = 'replace.drop-dialect.allowed';

/**
 * Java fails the commit for a non-positive or unparsable size. Doing the same is safe here because
 * the value is checked after the commit's own updates: a commit that fixes the property succeeds.
 */
export function versionHistorySize(properties: Readonly<Record<string, string>>): number {
  const text = ownValue(properties, VERSION_HISTORY_SIZE);
  if (text === undefined) return VERSION_HISTORY_SIZE_DEFAULT;
  const size = /^\s*[+-]?\d{1,10}\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(size) || size > MAX_INT) throw new IllegalArgumentError(`${VERSION_HISTORY_SIZE} must be an integer but was ${text}`);
  if (size <= 0) throw new IllegalArgumentError(`${VERSION_HISTORY_SIZE} must be positive but was ${size}`);
  return size;
}

/** Java's `Boolean.parseBoolean`: only a case-insensitive "true" is true. */
export function dropDialectAllowed(properties: Readonly<Record<string, string>>): boolean {
  return ownValue(properties, REPLACE_DROP_DIALECT_ALLOWED)?.toLowerCase() === 'true';
}
