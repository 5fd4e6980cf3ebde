import { getConfig } from '../../core/http/operations/get-config.js';
import { route } from '../lib/route.js';

export const handler = route('getConfig', getConfig);
