import { listOAuthClients } from '../../core/http/operations/management/oauth-clients.js';
import { route } from '../lib/route.js';

export const handler = route('listOAuthClients', listOAuthClients);
