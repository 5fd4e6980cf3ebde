import { createNamespace } from '../../core/http/operations/create-namespace.js';
import { route } from '../lib/route.js';

export const handler = route('createNamespace', createNamespace);
