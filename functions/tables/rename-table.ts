import { renameTable } from '../../core/http/operations/rename-table.js';
import { route } from '../lib/route.js';

export const handler = route('renameTable', renameTable);
