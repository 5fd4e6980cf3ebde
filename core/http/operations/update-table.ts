import { commitTable } from '../../catalog/tables/commit-table.js';
import { BadRequestError } from '../../errors.js';
import { serializeTableMetadata, validateTableRequirements, validateTableUpdates } from '../../metadata/index.js';
import { ok, type Operation } from '../operation.js';
import { requireObjectBody } from '../request-body.js';
import { tableEtag } from './etag.js';
import { warehouseOf } from './namespace-params.js';
import { tableIdentifierFromBody, tableIdOf } from './table-params.js';

export const updateTable: Operation = async (request, ctx) => {
  const warehouse = warehouseOf(request, ctx);
  const id = tableIdOf(request, ctx);
  const body = requireObjectBody(request.body, 'CommitTableRequest');
  if (body.identifier !== undefined && body.identifier !== null) {
    const named = tableIdentifierFromBody(body.identifier, 'identifier');
    if (named.name !== id.name || named.namespace.join('\u001f') !== id.namespace.join('\u001f')) {
      throw new BadRequestError('Invalid CommitTableRequest: identifier does not match the table in the path');
    }
  }
  if (body.requirements === undefined) throw new BadRequestError('Invalid CommitTableRequest: missing required field requirements');
  if (body.updates === undefined) throw new BadRequestError('Invalid CommitTableRequest: missing required field updates');
  const requirements = validateTableRequirements(body.requirements);
  const updates = validateTableUpdates(body.updates);
  const outcome = await commitTable(ctx, warehouse, id, requirements, updates, { request: { requirements: body.requirements, updates: body.updates } });
  return ok(
    { 'metadata-location': outcome.metadataLocation, metadata: serializeTableMetadata(outcome.metadata) },
    { etag: tableEtag(outcome.metadataLocation, 'all'), 'x-catalog-commit-retries': String(outcome.serverRetries), 'x-catalog-commit-rebases': String(outcome.rebases), ...(outcome.grouped === true ? { 'x-catalog-commit-grouped': 'true' } : {}) },
  );
};
