import { replaceView } from '../../core/http/operations/replace-view.js';
import { route } from '../lib/route.js';

export const handler = route('replaceView', replaceView);
