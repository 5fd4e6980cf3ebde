import { listTables } from '../../core/http/operations/list-tables.js';
import { route } from '../lib/route.js';

export const handler = route('listTables', listTables);
