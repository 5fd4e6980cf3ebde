import { apiKeyInfo } from '../../../auth/api-keys.js';
import { authServices } from '../../../auth/auth-services.js';
import { BadRequestError, NotFoundError } from '../../../errors.js';
import { noContent, ok, type Operation } from '../../operation.js';
import { requireObjectBody } from '../../request-body.js';
import { callerLabel, idParam, optionalString, requiredString, stringList } from './management-request.js';

/**
 * `POST /management/v1/api-keys` {name, groups?, user?, expiresAt?}: the answer's `key` is the only
 * time the secret is shown. Grant the key a role with a role binding on `{"type": "ApiKey", "id": <id>}`
 * (or put it in a group that has one).
 */
export const createApiKey: Operation = async (request, ctx) => {
  const body = requireObjectBody(request.body, 'CreateApiKeyRequest');
  const expiresAt = optionalString(body['expiresAt'], 'expiresAt', 64);
  if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt))) throw new BadRequestError('Invalid expiresAt: expected an ISO-8601 timestamp');
  const user = optionalString(body['user'], 'user');
  const { key, record } = await authServices(ctx).apiKeys.create(
    {
      name: requiredString(body['name'], 'name', 200),
      groups: stringList(body['groups'], 'groups'),
      ...(user !== undefined ? { user } : {}),
      ...(expiresAt !== undefined ? { expiresAt: new Date(expiresAt).toISOString() } : {}),
    },
    callerLabel(request),
  );
  return ok({ key, 'api-key': apiKeyInfo(record) }, { 'cache-control': 'no-store' });
};

export const listApiKeys: Operation = async (_request, ctx) => {
  const keys = await authServices(ctx).apiKeys.list();
  return ok({ 'api-keys': keys.map(apiKeyInfo) });
};

export const revokeApiKey: Operation = async (request, ctx) => {
  const id = idParam(request, 'keyId');
  const revoked = await authServices(ctx).apiKeys.revoke(id, callerLabel(request));
  if (revoked === undefined) throw new NotFoundError(`API key does not exist: ${id}`);
  return noContent();
};
