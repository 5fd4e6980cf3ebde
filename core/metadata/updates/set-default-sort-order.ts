import { BadRequestError } from '../../errors.js';
import { recordChange, type Draft } from '../draft.js';
import type { SetDefaultSortOrderUpdate } from '../types.js';

const LAST_ADDED = -1;

export function applySetDefaultSortOrder(draft: Draft, update: SetDefaultSortOrderUpdate): Draft {
  let sortOrderId = update.sortOrderId;
  if (sortOrderId === LAST_ADDED) {
    if (draft.lastAddedOrderId === undefined) {
      throw new BadRequestError('Cannot set last added sort order: no sort order has been added');
    }
    sortOrderId = draft.lastAddedOrderId;
  }
  if (draft.metadata.defaultSortOrderId === sortOrderId) return draft;
  if (!draft.metadata.sortOrders.some((order) => order.orderId === sortOrderId)) {
    throw new BadRequestError(`Cannot set default sort order to unknown sort order: ${sortOrderId}`);
  }
  return recordChange(draft, { defaultSortOrderId: sortOrderId }, { action: 'set-default-sort-order', sortOrderId });
}
