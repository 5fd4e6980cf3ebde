import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CommitFailedError } from '../../core/errors.js';
import { createNamespace } from '../../core/catalog/namespaces/create-namespace.js';
import { commitTable } from '../../core/catalog/tables/commit-table.js';
import { createTable } from '../../core/catalog/tables/create-table.js';
import { requireTable } from '../../core/catalog/tables/table-lookup.js';
import { validateCreateTableRequest } from '../../core/metadata/index.js';
import { startCoreHarness, type CoreHarness } from '../support/core-context.js';
import { createTableBody, uniqueNameOf } from '../support/table-requests.js';

/**
 * Fault review F5 (issue 12 asks 64): writers over 3 catalog processes committing set-properties guarded only by
 * assert-table-uuid: none of these commits can conflict, so none may be refused (36 % were 409s
 * when the server gave up after 10 lost swaps).
 */
let h: CoreHarness;
before(async () => {
  h = await startCoreHarness();
});
after(async () => h.close());

const CONTEXTS = 3;
const COMMITS_EACH = 4;

test(`writers over ${CONTEXTS} contexts, set-properties guarded by assert-table-uuid only: no 409, every property present`, async () => {
  // 64 on every store: a writer that loses its swap waits as a group-commit intent and the next
  // swapper applies it with the others (docs/storage-protocol.md), so losing rounds cost no 409s.
  const WRITERS = 64;
  const contexts = await Promise.all(Array.from({ length: CONTEXTS }, () => h.newContext({ realSleep: true })));
  const namespace = [uniqueNameOf('nc')];
  await createNamespace(h.ctx, h.warehouse, { namespace, properties: {} });
  const id = { namespace, name: 'hot' };
  const created = await createTable(h.ctx, h.warehouse, namespace, validateCreateTableRequest(createTableBody(id.name)));
  const uuid = created.metadata.tableUuid;
  let refused = 0;
  let serverRetries = 0;
  let grouped = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      const ctx = contexts[writer % CONTEXTS]!.ctx;
      for (let i = 0; i < COMMITS_EACH; i++) {
        try {
          const property = `w${writer}-${i}`;
          // As the HTTP route passes it: the request as sent lets a lost swap wait as a group-commit intent.
          const request = { requirements: [{ type: 'assert-table-uuid', uuid }], updates: [{ action: 'set-properties', updates: { [property]: 'x' } }] };
          const outcome = await commitTable(ctx, h.warehouse, id, [{ type: 'assert-table-uuid', uuid }], [{ action: 'set-properties', updates: { [property]: 'x' } }], { request });
          serverRetries += outcome.serverRetries;
          if (outcome.grouped === true) grouped++;
        } catch (error) {
          if (error instanceof CommitFailedError) refused++;
          else throw error;
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const properties = (await requireTable(h.ctx, h.warehouse, id)).metadata.properties;
  const present = Object.keys(properties).filter((k) => /^w\d+-\d+$/.test(k)).length;
  console.log(`# non-conflicting commits: ${WRITERS * COMMITS_EACH} commits, ${refused} refused, ${serverRetries} server retries, ${grouped} through group commit, ${(present / seconds).toFixed(1)} accepted/s (${h.storeKind})`);
  assert.equal(refused, 0);
  assert.equal(present, WRITERS * COMMITS_EACH);
});
