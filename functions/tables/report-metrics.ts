import { reportMetrics } from '../../core/http/operations/report-metrics.js';
import { route } from '../lib/route.js';

export const handler = route('reportMetrics', reportMetrics);
