import { requireTable } from '../../catalog/tables/table-lookup.js';
import { ok, type Operation } from '../operation.js';
import { matchesIfNoneMatch, tableEtag } from './etag.js';
import { LoadResultCache } from './load-result-cache.js';
import { warehouseOf } from './namespace-params.js';
import { loadTableResult, snapshotModeOf, tableIdOf } from './table-params.js';

const answers = new LoadResultCache();

/** With a matching If-None-Match the pointer alone decides: 304, and the metadata file is not read. */
export const loadTable: Operation = async (request, ctx) => {
  const warehouse = warehouseOf(request, ctx);
  const id = tableIdOf(request, ctx);
  const mode = snapshotModeOf(request);
  const table = await requireTable(ctx, warehouse, id);
  const etag = tableEtag(table.pointer.value.metadataLocation, mode);
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return { status: 304, headers: { etag } };
  return ok(answers.get(etag, () => loadTableResult(table.pointer.value.metadataLocation, table.metadata, mode)), { etag });
};
