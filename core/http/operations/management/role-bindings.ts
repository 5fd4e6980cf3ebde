import { randomUUID } from 'node:crypto';
import { authServices } from '../../../auth/auth-services.js';
import { parsePrincipalRef, parseRole, parseScope, RECORD_ID, roleBindingJson, type RoleBinding } from '../../../auth/role-binding.js';
import { resolveWarehouse } from '../../../catalog/context.js';
import { BadRequestError, NotFoundError } from '../../../errors.js';
import { noContent, ok, type Operation } from '../../operation.js';
import { requireObjectBody } from '../../request-body.js';
import { callerLabel, idParam, optionalString } from './management-request.js';

/**
 * `POST /management/v1/role-bindings`
 * {"role": "TableReader", "principal": {"type": "Group", "id": "analysts"},
 *  "scope": {"type": "Namespace", "warehouse": "default", "namespace": ["sales"]}}
 */
export const createRoleBinding: Operation = async (request, ctx) => {
  const body = requireObjectBody(request.body, 'CreateRoleBindingRequest');
  const id = optionalString(body['id'], 'id', 128) ?? `rb-${randomUUID()}`;
  if (!RECORD_ID.test(id)) throw new BadRequestError("Invalid id: letters, digits, '_', '.' and '-' only, at most 128");
  const scope = parseScope(body['scope']);
  if (scope.type !== 'Catalog') resolveWarehouse(ctx.config, scope.warehouse);
  const binding: RoleBinding = {
    id,
    role: parseRole(body['role']),
    principal: parsePrincipalRef(body['principal']),
    scope,
    createdAt: new Date(ctx.clock.now()).toISOString(),
    createdBy: callerLabel(request),
  };
  await authServices(ctx).policies.createBinding(binding);
  return ok(roleBindingJson(binding));
};

/** Every binding, or those of one principal (`?principalType=Group&principalId=analysts`). */
export const listRoleBindings: Operation = async (request, ctx) => {
  const auth = authServices(ctx);
  auth.policies.invalidate();
  const { bindings } = await auth.policies.snapshot();
  const type = request.query.get('principalType');
  const id = request.query.get('principalId');
  const shown = bindings.filter((b) => (type === undefined || b.principal.type === type) && (id === undefined || b.principal.id === id));
  return ok({ 'role-bindings': shown.map(roleBindingJson) });
};

export const deleteRoleBinding: Operation = async (request, ctx) => {
  const id = idParam(request, 'bindingId');
  if (!(await authServices(ctx).policies.deleteBinding(id))) throw new NotFoundError(`Role binding does not exist: ${id}`);
  return noContent();
};
