import { registerView } from '../../core/http/operations/register-view.js';
import { route } from '../lib/route.js';

export const handler = route('registerView', registerView);
