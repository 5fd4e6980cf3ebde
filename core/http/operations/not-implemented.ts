import { NotImplementedError } from '../../errors.js';
import type { Operation } from '../operation.js';

/** Routes of the spec this catalog does not serve yet: 501 in the error model, never advertised. */
export const notImplemented: Operation = async (request) => {
  throw new NotImplementedError(`Operation ${request.route.operationId} is not implemented by this catalog yet`);
};
