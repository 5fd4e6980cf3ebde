import { dropTable } from '../../core/http/operations/drop-table.js';
import { route } from '../lib/route.js';

export const handler = route('dropTable', dropTable);
