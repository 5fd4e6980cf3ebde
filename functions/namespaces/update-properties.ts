import { updateProperties } from '../../core/http/operations/update-properties.js';
import { route } from '../lib/route.js';

export const handler = route('updateProperties', updateProperties);
