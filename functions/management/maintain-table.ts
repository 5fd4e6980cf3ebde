import { maintainTable } from '../../core/http/operations/management/maintain-table.js';
import { route } from '../lib/route.js';

export const handler = route('maintainTable', maintainTable);
