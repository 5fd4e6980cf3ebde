import { tableExists } from '../../core/http/operations/table-exists.js';
import { route } from '../lib/route.js';

export const handler = route('tableExists', tableExists);
