import { deleteRoleBinding } from '../../core/http/operations/management/role-bindings.js';
import { route } from '../lib/route.js';

export const handler = route('deleteRoleBinding', deleteRoleBinding);
