import { listViews } from '../../core/http/operations/list-views.js';
import { route } from '../lib/route.js';

export const handler = route('listViews', listViews);
