import { registerTable } from '../../core/http/operations/register-table.js';
import { route } from '../lib/route.js';

export const handler = route('registerTable', registerTable);
