import { createApiKey } from '../../core/http/operations/management/api-keys.js';
import { route } from '../lib/route.js';

export const handler = route('createApiKey', createApiKey);
