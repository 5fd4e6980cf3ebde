import { updateTable } from '../../core/http/operations/update-table.js';
import { route } from '../lib/route.js';

export const handler = route('updateTable', updateTable);
