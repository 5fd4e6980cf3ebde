import { commitTransaction } from '../../core/http/operations/commit-transaction.js';
import { route } from '../lib/route.js';

export const handler = route('commitTransaction', commitTransaction);
