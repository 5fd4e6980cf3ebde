import { listNamespaces } from '../../core/http/operations/list-namespaces.js';
import { route } from '../lib/route.js';

export const handler = route('listNamespaces', listNamespaces);
