import { authServices } from '../../../auth/auth-services.js';
import { currentPolicy } from '../../../auth/authorization-store.js';
import { BadRequestError, NotFoundError } from '../../../errors.js';
import { noContent, ok, type Operation } from '../../operation.js';
import { requireObjectBody } from '../../request-body.js';
import { callerLabel, idParam, optionalString, requiredString } from './management-request.js';

/** Custom policies are at most this long (Cedar text). */
export const MAX_POLICY_LENGTH = 16 * 1024;

/**
 * `POST /management/v1/policies/{policyId}` {policy, description?, expectedVersion?}: creates or
 * replaces one custom Cedar policy. It is validated against the schema first (strict mode: known
 * entity types, actions and attributes) and refused with the validator's messages otherwise. Each
 * change is a new version; the history is kept, deletions included.
 */
export const putPolicy: Operation = async (request, ctx) => {
  const id = idParam(request, 'policyId');
  const body = requireObjectBody(request.body, 'PutPolicyRequest');
  const text = requiredString(body['policy'], 'policy', MAX_POLICY_LENGTH);
  const expected = body['expectedVersion'];
  if (expected !== undefined && (typeof expected !== 'number' || !Number.isInteger(expected) || expected < 0)) throw new BadRequestError('Invalid expectedVersion: expected a non-negative integer');
  const auth = authServices(ctx);
  const problems = auth.engine.validatePolicy(text);
  if (problems.length > 0) throw new BadRequestError(`Invalid policy ${id}: ${problems.map((p) => p.message).join('; ')}`);
  const record = await auth.policies.appendPolicyVersion(id, {
    policy: text,
    description: optionalString(body['description'], 'description', 1000) ?? '',
    by: callerLabel(request),
    at: new Date(ctx.clock.now()).toISOString(),
    ...(typeof expected === 'number' ? { expectedVersion: expected } : {}),
  });
  return ok({ id, current: record === undefined ? null : currentPolicy(record) ?? null });
};

export const listPolicies: Operation = async (_request, ctx) => {
  const auth = authServices(ctx);
  auth.policies.invalidate();
  const { policies } = await auth.policies.snapshot();
  return ok({ policies });
};

/** The current text (null once deleted) and every version, oldest first. */
export const getPolicy: Operation = async (request, ctx) => {
  const id = idParam(request, 'policyId');
  const record = await authServices(ctx).policies.getPolicy(id);
  if (record === undefined) throw new NotFoundError(`Policy does not exist: ${id}`);
  return ok({ id, current: currentPolicy(record) ?? null, history: record.versions });
};

export const deletePolicy: Operation = async (request, ctx) => {
  const id = idParam(request, 'policyId');
  const record = await authServices(ctx).policies.appendPolicyVersion(id, { policy: null, description: 'deleted', by: callerLabel(request), at: new Date(ctx.clock.now()).toISOString() });
  if (record === undefined) throw new NotFoundError(`Policy does not exist: ${id}`);
  return noContent();
};
