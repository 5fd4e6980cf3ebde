import { BadRequestError } from '../../errors.js';
import { recordChange, type Draft } from '../draft.js';
import type { AssignUuidUpdate } from '../types.js';

/**
 * Assigning a uuid is only safe while a table is created: readers treat a changed uuid as a
 * different table, so an existing table's uuid never changes.
 */
export function applyAssignUuid(draft: Draft, update: AssignUuidUpdate): Draft {
  const current = draft.metadata.tableUuid;
  if (current.toLowerCase() === update.uuid.toLowerCase()) return draft;
  if (draft.base !== undefined) {
    throw new BadRequestError(`Cannot reassign the uuid of an existing table: ${current} != ${update.uuid}`);
  }
  return recordChange(draft, { tableUuid: update.uuid }, update);
}
