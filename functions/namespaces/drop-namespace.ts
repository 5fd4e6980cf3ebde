import { dropNamespace } from '../../core/http/operations/drop-namespace.js';
import { route } from '../lib/route.js';

export const handler = route('dropNamespace', dropNamespace);
