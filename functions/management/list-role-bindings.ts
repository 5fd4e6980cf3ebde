import { listRoleBindings } from '../../core/http/operations/management/role-bindings.js';
import { route } from '../lib/route.js';

export const handler = route('listRoleBindings', listRoleBindings);
