import { nextId, recordChange, wasAddedInThisCommit, withLastAdded, type Draft } from '../draft.js';
import { sameSortOrder } from '../equivalence.js';
import { checkSortOrderBindsToSchema } from '../schema-binding.js';
import { UNSORTED_ORDER_ID } from '../spec-constants.js';
import type { AddSortOrderUpdate, SortOrder } from '../types.js';
import { currentSchemaOf } from './current-schema.js';

const FIRST_SORTED_ORDER_ID = 1;

/** Unsorted is always order 0; a sorted order reuses an identical order's id, else gets max+1 from 1. */

export function applyAddSortOrder(draft: Draft, update: AddSortOrderUpdate): Draft {
  const metadata = draft.metadata;
  const unsorted = update.sortOrder.fields.length === 0;
  const existing = unsorted
    ? metadata.sortOrders.find((order) => order.orderId === UNSORTED_ORDER_ID)
    : metadata.sortOrders.find((order) => order.fields.length > 0 && sameSortOrder(order, update.sortOrder));
  if (existing !== undefined) {
    const lastAddedOrderId = wasAddedInThisCommit(draft, 'add-sort-order', existing.orderId) ? existing.orderId : undefined;
    return withLastAdded(draft, { lastAddedOrderId });
  }

  if (!unsorted) checkSortOrderBindsToSchema(update.sortOrder.fields, currentSchemaOf(metadata, 'Cannot add a sort order').fields);
  const order: SortOrder = {
    orderId: unsorted ? UNSORTED_ORDER_ID : nextId(metadata.sortOrders.map((each) => each.orderId), FIRST_SORTED_ORDER_ID),
    fields: update.sortOrder.fields,
  };
  return recordChange(
    draft,
    { sortOrders: [...metadata.sortOrders, order] },
    { action: 'add-sort-order', sortOrder: order },
    { lastAddedOrderId: order.orderId },
  );
}
