import { getToken } from '../../core/http/operations/get-token.js';
import { route } from '../lib/route.js';

export const handler = route('getToken', getToken);
