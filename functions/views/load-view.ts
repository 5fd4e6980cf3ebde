import { loadView } from '../../core/http/operations/load-view.js';
import { route } from '../lib/route.js';

export const handler = route('loadView', loadView);
