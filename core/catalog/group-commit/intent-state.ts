import type { TableMetadata } from '../../metadata/index.js';
import type { CatalogContext } from '../context.js';
import type { ObjectPointer } from '../pointers/object-pointer.js';
import { claimState, historyReaches, type ClaimState } from './claim-state.js';
import type { IntentClaims } from './intent-record.js';

/** The locations the pointer remembers naming, oldest first, ending with the current one. */
export function pointerHistory(pointer: ObjectPointer): string[] {
  return [...(pointer.previous ?? [])].reverse().concat(pointer.metadataLocation);
}

/**
 * claimState against the pointer as read: its own short memory first, the current metadata file's
 * log when the claims' base is further back. Claims naming only files this writer abandoned (built,
 * never swapped, never will be) are void whatever the pointer says.
 */
export async function stateOfClaims(
  ctx: CatalogContext,
  claims: IntentClaims | undefined,
  pointer: ObjectPointer,
  abandoned: ReadonlySet<string> = new Set(),
  current?: TableMetadata,
): Promise<ClaimState> {
  let history = pointerHistory(pointer);
  if (!historyReaches(claims, history)) {
    const metadata = current ?? (await ctx.metadataFiles.read(pointer.metadataLocation));
    history = [...metadata.metadataLog.map((entry) => entry.metadataFile), pointer.metadataLocation];
  }
  const state = claimState(claims, history);
  if (state.kind === 'in-flight' && claims!.metadata.every((location) => abandoned.has(location))) return { kind: 'free' };
  return state;
}
