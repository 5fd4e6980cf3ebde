import { unregisterTable } from '../../core/http/operations/unregister-table.js';
import { route } from '../lib/route.js';

export const handler = route('unregisterTable', unregisterTable);
