import { namespaceExists } from '../../core/http/operations/namespace-exists.js';
import { route } from '../lib/route.js';

export const handler = route('namespaceExists', namespaceExists);
