import { sameNamespace } from '../../catalog/namespace.js';
import { replaceView as replace } from '../../catalog/views/replace-view.js';
import { BadRequestError } from '../../errors.js';
import { validateCommitViewRequest } from '../../metadata/views/index.js';
import { ok, type Operation } from '../operation.js';
import { requireObjectBody } from '../request-body.js';
import { warehouseOf } from './namespace-params.js';
import { tableIdentifierFromBody } from './table-params.js';
import { loadViewResult, viewIdOf } from './view-params.js';

export const replaceView: Operation = async (request, ctx) => {
  const warehouse = warehouseOf(request, ctx);
  const id = viewIdOf(request, ctx);
  const body = requireObjectBody(request.body, 'CommitViewRequest');
  if (body.identifier !== undefined && body.identifier !== null) {
    const named = tableIdentifierFromBody(body.identifier, 'identifier');
    if (named.name !== id.name || !sameNamespace(named.namespace, id.namespace)) {
      throw new BadRequestError('Invalid CommitViewRequest: identifier does not match the view in the path');
    }
  }
  const { requirements, updates } = validateCommitViewRequest(body);
  const outcome = await replace(ctx, warehouse, id, requirements, updates);
  return ok(loadViewResult(outcome.metadataLocation, outcome.metadata), { 'x-catalog-commit-retries': String(outcome.serverRetries) });
};
