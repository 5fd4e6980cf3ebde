import { NO_DELEGATION, type DelegatedAccess } from '../../access/access-delegation.js';
import { findTablePointer, noSuchTable } from '../../catalog/tables/table-lookup.js';
import { SerializedJson, stringifyJson } from '../../json/lossless-json.js';
import { ok, type Operation } from '../operation.js';
import { delegatedAccessFor, delegationHeaders, requestedDelegation } from './access-delegation.js';
import { matchesIfNoneMatch, tableEtag } from './etag.js';
import { LoadResultCache } from './load-result-cache.js';
import { warehouseOf } from './namespace-params.js';
import { loadTableResult, snapshotModeOf, tableIdOf } from './table-params.js';

const answers = new LoadResultCache();

/** The answer depends on the delegation the client asked for: caches must key on it. */
const VARY = { vary: 'X-Iceberg-Access-Delegation' } as const;

/** The end of every cached answer: loadTableResult writes `config` last, empty. */
const EMPTY_CONFIG_TAIL = '"config":{}}';

/**
 * The cached text is caller-independent (no credentials, no signer settings); the delegation is
 * per caller and access level, so it is spliced onto a copy of the text for this answer only, and
 * the metadata is never serialized again for it.
 */
function withDelegationText(cached: SerializedJson, access: DelegatedAccess): SerializedJson {
  if (!cached.text.endsWith(EMPTY_CONFIG_TAIL)) throw new Error('a cached LoadTableResult does not end with an empty config');
  let tail = `"config":${stringifyJson(access.config)}`;
  if (access.storageCredentials !== undefined) tail += `,"storage-credentials":${stringifyJson(access.storageCredentials)}`;
  if (access.remoteSigningConfig !== undefined) tail += `,"remote-signing-config":${stringifyJson(access.remoteSigningConfig)}`;
  return new SerializedJson(`${cached.text.slice(0, -EMPTY_CONFIG_TAIL.length)}${tail}}`);
}

/**
 * With a matching If-None-Match the pointer alone decides: 304, and the metadata file is not read.
 * With X-Iceberg-Access-Delegation the answer also carries credentials or signer settings for this
 * caller (core/access); a 304 carries none, and the client refreshes through loadCredentials.
 */
export const loadTable: Operation = async (request, ctx) => {
  const requested = requestedDelegation(request);
  const warehouse = warehouseOf(request, ctx);
  const id = tableIdOf(request, ctx);
  const mode = snapshotModeOf(request);
  const found = await findTablePointer(ctx, warehouse, id, 'read');
  if (found === undefined) throw noSuchTable(id);
  const metadataLocation = found.pointer.value.metadataLocation;
  const etag = tableEtag(metadataLocation, mode);
  // A reader polling an unchanged table costs one small read, however large its metadata file.
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return { status: 304, headers: { etag, ...VARY } };
  const metadata = await ctx.metadataFiles.read(metadataLocation);
  const cached = answers.get(etag, () => loadTableResult(metadataLocation, metadata, mode));
  const access = await delegatedAccessFor(request, ctx, requested, { warehouse, namespace: id.namespace, name: id.name, uuid: metadata.tableUuid, location: metadata.location });
  if (access === NO_DELEGATION) return ok(cached, { etag, ...VARY });
  return ok(withDelegationText(cached, access), { etag, ...VARY, ...delegationHeaders(access) });
};
