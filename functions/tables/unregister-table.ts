import { notImplemented } from '../../core/http/operations/not-implemented.js';
import { route } from '../lib/route.js';

export const handler = route('unregisterTable', notImplemented);
