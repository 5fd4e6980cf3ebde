import { s3Endpoint, type S3Endpoint } from '../../access/signing/s3-endpoint.js';
import type { S3RequestSigner } from '../../access/signing/request-signer.js';
import { checkSignerProperties } from '../../access/signing/signer-properties.js';
import { prepareSignRequest, type RemoteSignInput } from '../../access/signing/signing-rules.js';
import { ANONYMOUS, principalLabel } from '../../auth/principal.js';
import type { ResourceRef } from '../../auth/resources.js';
import type { CatalogConfig } from '../../config.js';
import { parseLocation } from '../../catalog/locations/canonical-location.js';
import { confinementOf } from '../../catalog/locations/confinement.js';
import { formatIdentifier, requireTable } from '../../catalog/tables/table-lookup.js';
import { BadRequestError, ForbiddenError, type NoSuchTableError, type NoSuchWarehouseError } from '../../errors.js';
import { isJsonObject, type JsonValue } from '../../json/lossless-json.js';
import { callerMay, ok, type Operation } from '../operation.js';
import { optionalStringMap, requireObjectBody } from '../request-body.js';
import { warehouseOf } from './namespace-params.js';
import { tableIdOf } from './table-params.js';

/**
 * `signRequest`: signs one S3 request for an engine with the catalog's own credentials, if it lies
 * inside the table the path names and the caller's access allows it (see
 * core/access/signing/signing-rules.ts). Readers (TableReader: the route's Cedar action) get reads
 * signed; a caller who may also `updateTable` the table gets writes signed too.
 *
 * Not a catalog mutation: no Idempotency-Key, no audit record. Each signature is a data-plane grant,
 * so each is logged (who, which table, which S3 operation on which key; never headers or the
 * signature); what is then done with it is in the bucket's own access log, under the catalog's key.
 *
 * The answer says `Cache-Control: no-cache`: Iceberg's Java signer client caches `private` answers
 * in a JVM-wide cache keyed by method and URI only, which would hand one caller's signature to
 * another caller in the same JVM without the catalog deciding.
 */
/**
 * The spec lists no 404 for signRequest: a missing (or hidden) table or warehouse answers 400 with
 * its NoSuch… type (core/http/error-response.ts, OPERATIONS_WITHOUT_NOT_FOUND), so both look the same.
 */
export type SignRequestError = BadRequestError | ForbiddenError | NoSuchTableError | NoSuchWarehouseError;

export type SigningLog = (message: string, fields: Record<string, unknown>) => void;

export interface SignRequestDependencies {
  readonly signer: S3RequestSigner;
  readonly log: SigningLog;
}

const S3_PROVIDER = 's3';

export function signRequestOperation(deps: SignRequestDependencies): Operation {
  const endpoints = new WeakMap<CatalogConfig, S3Endpoint>();
  return async (request, ctx) => {
    const warehouse = warehouseOf(request, ctx);
    const id = tableIdOf(request, ctx);
    const { input, properties } = remoteSignRequest(request.body);
    const table = await requireTable(ctx, warehouse, id);
    checkSignerProperties(properties, { warehouse, namespace: id.namespace, name: id.name, uuid: table.metadata.tableUuid });

    const root = parseLocation(table.metadata.location, 'table location');
    if (root.scheme !== 's3') {
      // Nothing to sign: the files are local to the catalog's machine, and engines read them directly.
      throw new BadRequestError(`Remote signing is for S3 tables; table ${formatIdentifier(id)} is stored at ${root.scheme}:// locations, which engines read directly`);
    }
    if (!confinementOf(ctx.config).permits(root)) throw new ForbiddenError(`Not signed: the location of table ${formatIdentifier(id)} is outside the catalog's warehouses`);

    const resource: ResourceRef = { type: 'Table', warehouse, namespace: id.namespace, name: id.name };
    const access = callerMay(request, 'updateTable', resource) ? 'write' : 'read';
    let endpoint = endpoints.get(ctx.config);
    if (endpoint === undefined) endpoints.set(ctx.config, (endpoint = s3Endpoint(ctx.config.s3)));
    const prepared = prepareSignRequest(input, { root, access, endpoint });
    const signed = await deps.signer.sign(prepared, new Date(ctx.clock.now()));

    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(signed)) headers[name] = [value];
    for (const [name, values] of Object.entries(prepared.unsignedHeaders)) headers[name] = [...values];
    deps.log('signed an S3 request', {
      requestId: request.requestId,
      caller: principalLabel(request.caller ?? ANONYMOUS),
      table: formatIdentifier(id),
      warehouse,
      operation: prepared.operation.name,
      access: prepared.operation.access,
      bucket: prepared.target.bucket,
      key: prepared.operation.bucketLevel ? (prepared.target.query.get('prefix') ?? '') : prepared.target.key,
    });
    return ok({ uri: prepared.uri, headers }, { 'cache-control': 'no-cache' });
  };
}

/** The spec's RemoteSignRequest: region, uri, method, headers (MultiValuedMap), optional properties, body, provider. */
function remoteSignRequest(body: JsonValue | undefined): { input: RemoteSignInput; properties: Record<string, string> } {
  const object = requireObjectBody(body, 'RemoteSignRequest');
  const text = (field: string): string => {
    const value = object[field];
    if (typeof value !== 'string') throw new BadRequestError(`Invalid RemoteSignRequest: ${field} must be a string`);
    return value;
  };
  const provider = object['provider'];
  if (provider !== undefined && provider !== null && provider !== S3_PROVIDER) {
    throw new BadRequestError(`Invalid RemoteSignRequest: provider ${String(provider).slice(0, 32)} is not supported; the catalog signs s3 requests`);
  }
  const rawHeaders = object['headers'];
  if (!isJsonObject(rawHeaders)) throw new BadRequestError('Invalid RemoteSignRequest: headers must be an object of string arrays');
  const headers: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(rawHeaders)) {
    if (!Array.isArray(values) || !values.every((v): v is string => typeof v === 'string')) {
      throw new BadRequestError(`Invalid RemoteSignRequest: header ${name.slice(0, 64)} must be an array of strings`);
    }
    headers[name] = values;
  }
  const rawBody = object['body'];
  if (rawBody !== undefined && rawBody !== null && typeof rawBody !== 'string') throw new BadRequestError('Invalid RemoteSignRequest: body must be a string');
  return {
    input: { region: text('region'), uri: text('uri'), method: text('method'), headers, ...(typeof rawBody === 'string' ? { body: rawBody } : {}) },
    properties: optionalStringMap(object['properties'], 'RemoteSignRequest properties'),
  };
}
