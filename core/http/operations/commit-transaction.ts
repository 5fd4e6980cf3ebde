import { commitTransaction as commitAll } from '../../catalog/tables/commit-transaction.js';
import { BadRequestError } from '../../errors.js';
import { isJsonObject } from '../../json/lossless-json.js';
import { validateTableRequirements, validateTableUpdates } from '../../metadata/index.js';
import { noContent, type Operation } from '../operation.js';
import { requireObjectBody } from '../request-body.js';
import { warehouseOf } from './namespace-params.js';
import { tableIdentifierFromBody } from './table-params.js';

/** Upper bound on tables in one transaction: each is a pointer swap and a metadata file write. */
export const MAX_TABLES_PER_TRANSACTION = 100;

export const commitTransaction: Operation = async (request, ctx) => {
  const body = requireObjectBody(request.body, 'CommitTransactionRequest');
  const changes = body['table-changes'];
  if (!Array.isArray(changes) || changes.length === 0) {
    throw new BadRequestError('Invalid CommitTransactionRequest: table-changes must be a non-empty array');
  }
  if (changes.length > MAX_TABLES_PER_TRANSACTION) {
    throw new BadRequestError(`Invalid CommitTransactionRequest: at most ${MAX_TABLES_PER_TRANSACTION} tables per transaction`);
  }
  const tableChanges = changes.map((change, i) => {
    if (!isJsonObject(change)) throw new BadRequestError(`Invalid table-changes[${i}]: expected an object`);
    if (change.identifier === undefined) throw new BadRequestError(`Invalid table-changes[${i}]: identifier is required in a transaction`);
    if (change.requirements === undefined || change.updates === undefined) {
      throw new BadRequestError(`Invalid table-changes[${i}]: requirements and updates are required`);
    }
    return {
      identifier: tableIdentifierFromBody(change.identifier, `table-changes[${i}].identifier`),
      requirements: validateTableRequirements(change.requirements, `table-changes[${i}].requirements`),
      updates: validateTableUpdates(change.updates, `table-changes[${i}].updates`),
    };
  });
  await commitAll(ctx, warehouseOf(request, ctx), tableChanges);
  return noContent();
};
