import { createTable } from '../../core/http/operations/create-table.js';
import { route } from '../lib/route.js';

export const handler = route('createTable', createTable);
