import { loadNamespaceMetadata } from '../../core/http/operations/load-namespace-metadata.js';
import { route } from '../lib/route.js';

export const handler = route('loadNamespaceMetadata', loadNamespaceMetadata);
