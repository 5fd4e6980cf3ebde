import { viewExists } from '../../core/http/operations/view-exists.js';
import { route } from '../lib/route.js';

export const handler = route('viewExists', viewExists);
