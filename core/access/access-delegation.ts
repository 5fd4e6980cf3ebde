import type { Namespace } from '../catalog/namespace.js';
import type { AccessDelegationConfig, S3Connection } from '../config.js';
import type { CredentialVendor, VendedCredentials } from './credential-vendor.js';
import type { AccessDelegationMechanism } from './delegation-header.js';
import { tableS3Prefix, type AccessLevel } from './session-policy.js';
import { signerProperties } from './signing/signer-properties.js';

/**
 * What the catalog tells an engine about reaching a table's files, from the mechanisms the client
 * accepts (X-Iceberg-Access-Delegation), what the deployment offers, and what the caller may do.
 * Pure apart from the vendor port; the HTTP layer decides the access level (Cedar) and which
 * endpoints are live.
 */

/** A documented `config` key: which mechanism the answer uses (`vended-credentials`, `remote-signing` or `none`). */
export const DELEGATION_KEY = 'catalog.access-delegation';
/** A documented `config` key: why nothing was delegated although the client asked (e.g. a `file://` table). */
export const DELEGATION_REASON_KEY = 'catalog.access-delegation.reason';

/** The table as the paths and the scope name it. */
export interface DelegatedTable {
  readonly warehouse: string;
  readonly namespace: Namespace;
  readonly name: string;
  readonly uuid: string;
  /** `metadata.location`: the credentials' scope and the storage credential's prefix. */
  readonly location: string;
}

export interface DelegationDeps {
  readonly access: AccessDelegationConfig;
  readonly s3: Pick<S3Connection, 'endpoint' | 'region' | 'forcePathStyle'>;
  /** Undefined when the deployment vends nothing (no data-access role). */
  readonly vendor: CredentialVendor | undefined;
  /** Whether `POST .../sign` is served (remote signing is offered only then). */
  readonly signingLive: boolean;
  /** Whether `GET .../credentials` is served (the refresh endpoint is named only then). */
  readonly refreshLive: boolean;
}

export interface StorageCredential {
  readonly prefix: string;
  readonly config: Readonly<Record<string, string>>;
}

export interface DelegatedAccess {
  /** LoadTableResult.config: what older clients read (deprecated keys) plus the catalog's own notes. */
  readonly config: Readonly<Record<string, string>>;
  readonly storageCredentials?: readonly StorageCredential[];
  readonly remoteSigningConfig?: { readonly properties: Readonly<Record<string, string>> };
  /** The answer holds secrets: it must not be stored by any cache (Cache-Control: no-store). */
  readonly carriesCredentials: boolean;
}

export const NO_DELEGATION: DelegatedAccess = { config: {}, carriesCredentials: false };

type Choice = { readonly kind: AccessDelegationMechanism } | { readonly kind: 'none'; readonly reason: string };

/** Which mechanism to use; `vended-credentials` and `remote-signing` only where the table's storage and the deployment offer them. */
export function chooseDelegation(requested: ReadonlySet<AccessDelegationMechanism>, location: string, deps: Pick<DelegationDeps, 'access' | 'vendor' | 'signingLive'>): Choice {
  if (!/^s3[an]?:\/\//i.test(location)) return { kind: 'none', reason: 'the table is not in S3 (a file:// warehouse): engines read its files directly' };
  const canVend = requested.has('vended-credentials') && deps.vendor !== undefined;
  const canSign = requested.has('remote-signing') && deps.signingLive;
  if (canVend && canSign) return { kind: deps.access.preference };
  if (canVend) return { kind: 'vended-credentials' };
  if (canSign) return { kind: 'remote-signing' };
  if (requested.has('vended-credentials') && !requested.has('remote-signing') && deps.signingLive) {
    return { kind: 'none', reason: 'this catalog vends no credentials (no data-access role); ask for remote-signing' };
  }
  return { kind: 'none', reason: deps.vendor === undefined && !deps.signingLive ? 'this catalog neither vends credentials nor signs requests' : 'this catalog does not offer the mechanisms asked for' };
}

/** `v1/<prefix>/namespaces/<ns>/tables/<table>`: relative, as Iceberg Java's RESTUtil.resolveEndpoint and PyIceberg join it to the catalog URI. */
export function tablePath(table: Pick<DelegatedTable, 'warehouse' | 'namespace' | 'name'>): string {
  const namespace = table.namespace.map((level) => encodeURIComponent(level)).join('%1F');
  return `v1/${encodeURIComponent(table.warehouse)}/namespaces/${namespace}/tables/${encodeURIComponent(table.name)}`;
}

/** How to reach the store, for every mechanism: region, and an S3-compatible endpoint with its addressing. */
function storeConfig(s3: DelegationDeps['s3']): Record<string, string> {
  return {
    'client.region': s3.region,
    ...(s3.endpoint !== undefined ? { 's3.endpoint': s3.endpoint, 's3.path-style-access': String(s3.forcePathStyle) } : {}),
  };
}

function credentialConfig(credentials: VendedCredentials): Record<string, string> {
  return {
    's3.access-key-id': credentials.accessKeyId,
    's3.secret-access-key': credentials.secretAccessKey,
    's3.session-token': credentials.sessionToken,
    's3.session-token-expires-at-ms': String(credentials.expiresAtMs),
  };
}

/**
 * The answer for one table and caller. Vended credentials go in `storage-credentials` (prefix = the
 * table's location) and, for clients older than that field, in `config` too; remote signing sets
 * `s3.remote-signing-enabled` with the signer endpoint (`signer.*` as the spec names them, `s3.signer.*`
 * as Iceberg Java before 1.10 and PyIceberg read them) and `remote-signing-config` with the table's
 * signer properties. `signer.uri` only when CATALOG_PUBLIC_URL says where engines reach the catalog;
 * otherwise clients resolve the endpoint against their own catalog URI, which is the right one.
 */
export async function delegateAccess(
  requested: ReadonlySet<AccessDelegationMechanism>,
  table: DelegatedTable,
  caller: { readonly label: string; readonly level: AccessLevel },
  deps: DelegationDeps,
): Promise<DelegatedAccess> {
  if (requested.size === 0) return NO_DELEGATION;
  const choice = chooseDelegation(requested, table.location, deps);
  const path = tablePath(table);
  if (choice.kind === 'none') return { config: { [DELEGATION_KEY]: 'none', [DELEGATION_REASON_KEY]: choice.reason }, carriesCredentials: false };
  if (choice.kind === 'remote-signing') {
    const endpoint = `${path}/sign`;
    const uri = deps.access.publicUrl;
    return {
      config: {
        [DELEGATION_KEY]: 'remote-signing',
        ...storeConfig(deps.s3),
        's3.remote-signing-enabled': 'true',
        'signer.endpoint': endpoint,
        's3.signer.endpoint': endpoint,
        // PyIceberg's fsspec FileIO signs only when told which signer to use; Java ignores the key.
        's3.signer': 'S3V4RestSigner',
        ...(uri !== undefined ? { 'signer.uri': uri, 's3.signer.uri': uri } : {}),
      },
      remoteSigningConfig: { properties: signerProperties({ warehouse: table.warehouse, namespace: table.namespace, name: table.name, uuid: table.uuid }) },
      carriesCredentials: false,
    };
  }
  const credentials = await deps.vendor!.vend({ prefix: tableS3Prefix(table.location), level: caller.level, caller: caller.label });
  const refresh: Record<string, string> = deps.refreshLive ? { 'client.refresh-credentials-endpoint': `${path}/credentials`, 'client.refresh-credentials-enabled': 'true' } : {};
  const storage = { ...credentialConfig(credentials), ...storeConfig(deps.s3), ...refresh };
  return {
    config: { [DELEGATION_KEY]: 'vended-credentials', ...storage },
    storageCredentials: [{ prefix: table.location, config: storage }],
    carriesCredentials: true,
  };
}

/** LoadCredentialsResponse's list: the same scoped credentials, or none where nothing is vended. */
export async function loadStorageCredentials(table: DelegatedTable, caller: { readonly label: string; readonly level: AccessLevel }, deps: DelegationDeps): Promise<readonly StorageCredential[]> {
  const answer = await delegateAccess(new Set(['vended-credentials']), table, caller, { ...deps, signingLive: false });
  return answer.storageCredentials ?? [];
}
