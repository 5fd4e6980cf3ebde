import { loadTable } from '../../core/http/operations/load-table.js';
import { route } from '../lib/route.js';

export const handler = route('loadTable', loadTable);
