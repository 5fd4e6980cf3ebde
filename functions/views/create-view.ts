import { createView } from '../../core/http/operations/create-view.js';
import { route } from '../lib/route.js';

export const handler = route('createView', createView);
