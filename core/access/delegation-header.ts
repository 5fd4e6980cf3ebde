import type { AccessDelegationMechanism } from '../config.js';
import { BadRequestError } from '../errors.js';

export type { AccessDelegationMechanism } from '../config.js';

/** The spec's `data-access` parameter, as the header normalizer hands it over (lower case). */
export const ACCESS_DELEGATION_HEADER = 'x-iceberg-access-delegation';

const MECHANISMS: readonly AccessDelegationMechanism[] = ['vended-credentials', 'remote-signing'];

/**
 * `X-Iceberg-Access-Delegation`: a comma-separated list (the spec's `style: simple` array) of the
 * mechanisms the client supports. Absent or empty means none. An unknown value is a 400 rather than
 * ignored: a client that misspells `vended-credentials` would otherwise get no credentials and fail
 * later, on the first S3 read, far from the cause. Values are compared case-insensitively and an
 * empty item (a trailing comma) is skipped, as HTTP list headers allow.
 */
export function parseAccessDelegation(header: string | undefined): ReadonlySet<AccessDelegationMechanism> {
  const chosen = new Set<AccessDelegationMechanism>();
  if (header === undefined) return chosen;
  for (const item of header.split(',')) {
    const value = item.trim().toLowerCase();
    if (value === '') continue;
    const known = MECHANISMS.find((m) => m === value);
    if (known === undefined) {
      throw new BadRequestError(`Invalid X-Iceberg-Access-Delegation: unknown mechanism '${value.slice(0, 64)}'; expected ${MECHANISMS.join(', ')} or a comma-separated list of them`);
    }
    chosen.add(known);
  }
  return chosen;
}
