import { planTableScan } from '../../core/http/operations/plan-table-scan.js';
import { route } from '../lib/route.js';

export const handler = route('planTableScan', planTableScan);
