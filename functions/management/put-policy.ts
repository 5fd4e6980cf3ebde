import { putPolicy } from '../../core/http/operations/management/policies.js';
import { route } from '../lib/route.js';

export const handler = route('putPolicy', putPolicy);
