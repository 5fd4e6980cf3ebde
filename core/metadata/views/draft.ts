/**
 * The working state of one view commit, like the table engine's draft: every update function takes
 * a draft and returns a new one, so a failed update leaves nothing half-applied and the same
 * updates can be re-run on a newer base after a lost race.
 */
import type { Long } from '../long.js';
import type { ViewHistoryEntry, ViewMetadata, ViewUpdate } from './types.js';

export interface ViewDraft {
  /** The metadata the commit started from; undefined while creating a view. */
  readonly base: ViewMetadata | undefined;
  readonly metadata: ViewMetadata;
  /** The updates that took effect, with `-1` ids and reused ids already resolved. */
  readonly changes: readonly ViewUpdate[];
  /** Targets of `-1` in add-view-version's schema-id and in set-current-view-version. */
  readonly lastAddedSchemaId: number | undefined;
  readonly lastAddedVersionId: number | undefined;
  /** The version-log entry for the last change of the current version (Java keeps one). */
  readonly historyEntry: ViewHistoryEntry | undefined;
  /** The commit time, from the caller: the engine never reads a clock. */
  readonly now: Long;
}

export type ViewDraftState = Partial<Pick<ViewDraft, 'lastAddedSchemaId' | 'lastAddedVersionId' | 'historyEntry'>>;

export function startViewDraft(base: ViewMetadata, now: Long): ViewDraft {
  return { base, metadata: base, changes: [], lastAddedSchemaId: undefined, lastAddedVersionId: undefined, historyEntry: undefined, now };
}

/** The empty view a create builds on (Java's `ViewMetadata.builder()`); build() requires a version. */
export function emptyViewDraft(viewUuid: string, location: string, now: Long): ViewDraft {
  const metadata: ViewMetadata = {
    viewUuid,
    formatVersion: 1,
    location,
    currentVersionId: -1,
    versions: [],
    versionLog: [],
    schemas: [],
    properties: {},
  };
  return { base: undefined, metadata, changes: [], lastAddedSchemaId: undefined, lastAddedVersionId: undefined, historyEntry: undefined, now };
}

/** Applies a metadata patch and records the change that caused it. */
export function recordViewChange(draft: ViewDraft, patch: Partial<ViewMetadata>, change: ViewUpdate, state: ViewDraftState = {}): ViewDraft {
  return { ...draft, ...state, metadata: { ...draft.metadata, ...patch }, changes: [...draft.changes, change] };
}

export function versionAddedInThisCommit(draft: ViewDraft, versionId: number): boolean {
  return draft.changes.some((change) => change.action === 'add-view-version' && change.viewVersion.versionId === versionId);
}
