import { dropView } from '../../core/http/operations/drop-view.js';
import { route } from '../lib/route.js';

export const handler = route('dropView', dropView);
