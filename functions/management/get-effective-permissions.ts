import { getEffectivePermissions } from '../../core/http/operations/management/authorization.js';
import { route } from '../lib/route.js';

export const handler = route('getEffectivePermissions', getEffectivePermissions);
