import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AlreadyExistsError, ConcurrentModificationError } from '../../core/errors.js';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import { listObjects } from '../../core/catalog/tables/list-tables.js';
import { createTable } from '../../core/catalog/tables/create-table.js';
import { requireTable } from '../../core/catalog/tables/table-lookup.js';
import { createView } from '../../core/catalog/views/create-view.js';
import { validateCreateTableRequest } from '../../core/metadata/index.js';
import { validateCreateViewRequest } from '../../core/metadata/views/index.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';
import { createTableBody, uniqueNameOf } from '../support/table-requests.js';
import { aCreateViewRequest } from '../support/view-fixtures.js';

/**
 * Invariant 4, the strong form (fault review F7: in 10 of 30 rounds every creator lost and the name
 * stayed free): racing creates of one free name, tables and views mixed, over several catalog
 * contexts sharing the store, always leave exactly one winner, and every loser is told why.
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

const ROUNDS = 30;
const TABLE_CREATORS = 6;
const VIEW_CREATORS = 2;

test(`${ROUNDS} rounds of ${TABLE_CREATORS} table and ${VIEW_CREATORS} view creates of one name: exactly one winner each round`, async () => {
  const contexts = await Promise.all(Array.from({ length: 4 }, () => h.newContext()));
  const namespace = [uniqueNameOf('race')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  const losses = { alreadyExists: 0, concurrentModification: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const name = `n${round}`;
    const creators = [
      ...Array.from({ length: TABLE_CREATORS }, (_, i) => () =>
        createTable(contexts[i % contexts.length]!.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(name))).then(() => 'table' as const),
      ),
      ...Array.from({ length: VIEW_CREATORS }, (_, i) => () =>
        createView(contexts[(i + 1) % contexts.length]!.ctx, h.warehouse, namespace, validateCreateViewRequest(aCreateViewRequest(name))).then(() => 'view' as const),
      ),
    ];
    const outcomes = await Promise.allSettled(creators.map((create) => create()));
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners`);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') continue;
      const error: unknown = outcome.reason;
      if (error instanceof AlreadyExistsError) losses.alreadyExists++;
      else if (error instanceof ConcurrentModificationError) losses.concurrentModification++;
      else assert.fail(`round ${round}: unexpected ${String(error)}`);
    }
    const kind = (winners[0] as PromiseFulfilledResult<'table' | 'view'>).value;
    if (kind === 'table') await requireTable(h.ctx, h.warehouse, { namespace, name });
    const listed = await listObjects(h.ctx, h.warehouse, namespace, kind, {});
    assert.ok(listed.identifiers.some((id) => id.name === name), `round ${round}: the winner is listed`);
  }
  console.log(`# create races: ${ROUNDS} rounds, one winner each; losers ${JSON.stringify(losses)}`);
});
