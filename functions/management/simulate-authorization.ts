import { simulateAuthorization } from '../../core/http/operations/management/authorization.js';
import { route } from '../lib/route.js';

export const handler = route('simulateAuthorization', simulateAuthorization);
