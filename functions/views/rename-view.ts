import { renameView } from '../../core/http/operations/rename-view.js';
import { route } from '../lib/route.js';

export const handler = route('renameView', renameView);
