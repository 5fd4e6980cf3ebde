import { actionsOn, isActionId, VISIBILITY_ACTION } from '../../../auth/actions.js';
import { authServices, type AuthServices } from '../../../auth/auth-services.js';
import type { Principal } from '../../../auth/principal.js';
import { describeResource, resourceEntityId } from '../../../auth/resources.js';
import type { CatalogContext } from '../../../catalog/context.js';
import { BadRequestError } from '../../../errors.js';
import { isJsonObject, type JsonValue } from '../../../json/lossless-json.js';
import { ok, type Operation } from '../../operation.js';
import { requireObjectBody } from '../../request-body.js';
import { parseResource, requiredString, stringList } from './management-request.js';

/**
 * The principal to simulate: `{"type": "User", "id": "alice", "groups": ["analysts"]}`. A user's
 * groups come from its tokens, so the caller names them; an API key's come from its record.
 */
async function simulatedPrincipal(value: JsonValue | undefined, auth: AuthServices): Promise<Principal> {
  if (!isJsonObject(value)) throw new BadRequestError('Invalid principal: expected an object with type and id');
  const type = value['type'];
  const id = requiredString(value['id'], 'principal.id');
  if (type === 'User') return { type, id, groups: stringList(value['groups'], 'principal.groups'), authMethod: 'oidc' };
  if (type !== 'ApiKey') throw new BadRequestError('Invalid principal: type must be User or ApiKey');
  const record = await auth.apiKeys.get(id);
  const groups = value['groups'] !== undefined ? stringList(value['groups'], 'principal.groups') : [...(record?.groups ?? [])];
  const user = typeof value['user'] === 'string' ? value['user'] : (record?.user ?? undefined);
  return { type, id, groups, ...(user !== undefined && user !== null ? { user } : {}), authMethod: 'api-key' };
}

async function parse(request: Parameters<Operation>[0], ctx: CatalogContext) {
  const body = requireObjectBody(request.body, 'AuthorizationQuery');
  const auth = authServices(ctx);
  const principal = await simulatedPrincipal(body['principal'], auth);
  const resource = parseResource(body['resource'], ctx.config);
  auth.policies.invalidate();
  return { body, auth, principal, resource, session: await auth.authorizer.session(principal) };
}

/**
 * `POST /management/v1/authorization/simulate` {principal, action, resource}: would the principal be
 * allowed, by which policies, and what would it get (200, 403, or 404 when it may not even see the
 * resource).
 */
export const simulateAuthorization: Operation = async (request, ctx) => {
  const { body, principal, resource, session } = await parse(request, ctx);
  const action = requiredString(body['action'], 'action', 64);
  if (!isActionId(action)) throw new BadRequestError(`Invalid action: ${action} is not an operation of this catalog`);
  if (!(actionsOn(resource.type) as string[]).includes(action)) throw new BadRequestError(`Invalid action: ${action} does not apply to a ${resource.type}`);
  const decision = session.decide(action, resource);
  const visible = session.canSee(resource);
  return ok({
    principal: { type: principal.type, id: principal.id, groups: [...principal.groups] },
    action,
    resource: { type: resource.type, id: resourceEntityId(resource), description: describeResource(resource) },
    decision: decision.allowed ? 'allow' : 'deny',
    policies: decision.policies,
    visible,
    status: decision.allowed ? 200 : visible ? 403 : 404,
  });
};

/** `POST /management/v1/authorization/effective-permissions` {principal, resource}: every action allowed on it, and why. */
export const getEffectivePermissions: Operation = async (request, ctx) => {
  const { principal, resource, session } = await parse(request, ctx);
  const decisions = actionsOn(resource.type).map((action) => ({ action, ...session.decide(action, resource) }));
  const visibility = VISIBILITY_ACTION[resource.type];
  return ok({
    principal: { type: principal.type, id: principal.id, groups: [...principal.groups] },
    resource: { type: resource.type, id: resourceEntityId(resource), description: describeResource(resource) },
    visible: visibility === undefined || decisions.some((d) => d.action === visibility && d.allowed),
    allowed: decisions.filter((d) => d.allowed).map((d) => ({ action: d.action, policies: d.policies })),
    denied: decisions.filter((d) => !d.allowed).map((d) => d.action),
  });
};
