import { loadCredentials } from '../../core/http/operations/load-credentials.js';
import { route } from '../lib/route.js';

export const handler = route('loadCredentials', loadCredentials);
