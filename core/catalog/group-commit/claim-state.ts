import type { IntentClaims } from './intent-record.js';

/**
 * What an intent's claims mean against the table's pointer as read now:
 * - `free`: no claim, or every claimed file was built on a base the pointer has left for another
 *   file (they can never land): anyone may fold it;
 * - `in-flight`: the pointer still names the claims' base, so one of the claimed files may land;
 * - `applied`: the file that followed the base is one of the claimed ones: the intent is in it;
 * - `unknown`: the base is too far back in the history to tell (a folder leaves it alone; its
 *   writer answers "state unknown").
 */
export type ClaimState =
  | { readonly kind: 'free' }
  | { readonly kind: 'in-flight' }
  | { readonly kind: 'applied'; readonly metadataLocation: string }
  | { readonly kind: 'unknown' };

/**
 * `history` lists the metadata locations the table's pointer has named, oldest first, ending with
 * the current one (the pointer's own memory, and when that is too short the current metadata
 * file's log). Metadata file names carry a fresh uuid, so a location never comes back.
 */
export function claimState(claims: IntentClaims | undefined, history: readonly string[]): ClaimState {
  if (claims === undefined) return { kind: 'free' };
  const at = history.lastIndexOf(claims.base);
  if (at < 0) return { kind: 'unknown' };
  if (at === history.length - 1) return { kind: 'in-flight' };
  const successor = history[at + 1]!;
  return claims.metadata.includes(successor) ? { kind: 'applied', metadataLocation: successor } : { kind: 'free' };
}

/** Whether the pointer's short memory reaches the claims' base (else the metadata log must be read). */
export function historyReaches(claims: IntentClaims | undefined, history: readonly string[]): boolean {
  return claims === undefined || history.includes(claims.base);
}
