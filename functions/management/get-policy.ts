import { getPolicy } from '../../core/http/operations/management/policies.js';
import { route } from '../lib/route.js';

export const handler = route('getPolicy', getPolicy);
