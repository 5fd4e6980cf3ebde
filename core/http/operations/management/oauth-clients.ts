import { authServices } from '../../../auth/auth-services.js';
import { MIN_CLIENT_SECRET_LENGTH, oauthClientInfo } from '../../../auth/oauth-clients.js';
import { BadRequestError, NotFoundError } from '../../../errors.js';
import { noContent, ok, type Operation } from '../../operation.js';
import { requireObjectBody } from '../../request-body.js';
import { callerLabel, idParam, optionalString, requiredString, stringList } from './management-request.js';

/**
 * `POST /management/v1/oauth-clients` {name, principal?, groups?, secret?}: registers a client for
 * the client-credentials grant. Without `secret` one is generated and shown once.
 */
export const createOAuthClient: Operation = async (request, ctx) => {
  const body = requireObjectBody(request.body, 'CreateOAuthClientRequest');
  const secret = optionalString(body['secret'], 'secret', 1024);
  if (secret !== undefined && secret.length < MIN_CLIENT_SECRET_LENGTH) throw new BadRequestError(`Invalid secret: at least ${MIN_CLIENT_SECRET_LENGTH} characters`);
  const principal = optionalString(body['principal'], 'principal');
  const created = await authServices(ctx).oauthClients.create(
    {
      name: requiredString(body['name'], 'name', 200),
      groups: stringList(body['groups'], 'groups'),
      ...(principal !== undefined ? { principal } : {}),
      ...(secret !== undefined ? { secret } : {}),
    },
    callerLabel(request),
  );
  return ok(
    { 'client-id': created.record.id, 'client-secret': created.secret, client: oauthClientInfo(created.record) },
    { 'cache-control': 'no-store' },
  );
};

export const listOAuthClients: Operation = async (_request, ctx) => {
  const clients = await authServices(ctx).oauthClients.list();
  return ok({ clients: clients.map(oauthClientInfo) });
};

export const deleteOAuthClient: Operation = async (request, ctx) => {
  const id = idParam(request, 'clientId');
  if (!(await authServices(ctx).oauthClients.delete(id))) throw new NotFoundError(`OAuth client does not exist: ${id}`);
  return noContent();
};
