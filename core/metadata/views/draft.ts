/**
 * The working state of one view commit, like the table engine's draft: every update function takes
 * a draft and returns a new one, so a failed update leaves nothing half-applied and the same
 * updates can be re-run on a newer base after a lost race.
 */
import { appendChange, ChangeLogged, changeLogOf, someChange, type ChangeLog } from '../change-log.js';
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

type ViewDraftFields = Omit<ViewDraft, 'changes'>;

class ViewDraftImpl extends ChangeLogged<ViewUpdate> implements ViewDraft {
  readonly base: ViewMetadata | undefined;
  readonly metadata: ViewMetadata;
  readonly lastAddedSchemaId: number | undefined;
  readonly lastAddedVersionId: number | undefined;
  readonly historyEntry: ViewHistoryEntry | undefined;
  readonly now: Long;

  constructor(fields: ViewDraftFields, log: ChangeLog<ViewUpdate> | undefined) {
    super(log);
    this.base = fields.base;
    this.metadata = fields.metadata;
    this.lastAddedSchemaId = fields.lastAddedSchemaId;
    this.lastAddedVersionId = fields.lastAddedVersionId;
    this.historyEntry = fields.historyEntry;
    this.now = fields.now;
  }
}

function makeViewDraft(fields: ViewDraftFields, log: ChangeLog<ViewUpdate> | undefined): ViewDraft {
  return new ViewDraftImpl(fields, log);
}

function fieldsOf(draft: ViewDraft): ViewDraftFields {
  const { base, metadata, lastAddedSchemaId, lastAddedVersionId, historyEntry, now } = draft;
  return { base, metadata, lastAddedSchemaId, lastAddedVersionId, historyEntry, now };
}

export function startViewDraft(base: ViewMetadata, now: Long): ViewDraft {
  return makeViewDraft({ base, metadata: base, lastAddedSchemaId: undefined, lastAddedVersionId: undefined, historyEntry: undefined, now }, undefined);
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
  return makeViewDraft({ base: undefined, metadata, lastAddedSchemaId: undefined, lastAddedVersionId: undefined, historyEntry: undefined, now }, undefined);
}

/** Applies a metadata patch and records the change that caused it. */
export function recordViewChange(draft: ViewDraft, patch: Partial<ViewMetadata>, change: ViewUpdate, state: ViewDraftState = {}): ViewDraft {
  return recordViewChanges(draft, patch, [change], state);
}

/** Applies a metadata patch and records the changes that caused it (O(patch + changes), not O(commit)). */
export function recordViewChanges(draft: ViewDraft, patch: Partial<ViewMetadata>, changes: readonly ViewUpdate[], state: ViewDraftState = {}): ViewDraft {
  let log = changeLogOf<ViewUpdate>(draft);
  for (const change of changes) log = appendChange(log, change);
  return makeViewDraft({ ...fieldsOf(draft), ...state, metadata: { ...draft.metadata, ...patch } }, log);
}

/** The same draft with other state; no change recorded. */
export function withViewState(draft: ViewDraft, state: ViewDraftState): ViewDraft {
  return makeViewDraft({ ...fieldsOf(draft), ...state }, changeLogOf<ViewUpdate>(draft));
}

export function versionAddedInThisCommit(draft: ViewDraft, versionId: number): boolean {
  return someChange(changeLogOf<ViewUpdate>(draft), (change) => change.action === 'add-view-version' && change.viewVersion.versionId === versionId);
}
