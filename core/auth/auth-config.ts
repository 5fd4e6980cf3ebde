import { resolve } from 'node:path';
import { ConfigurationError } from '../errors.js';

/**
 * Authentication settings, read with the rest of the configuration at cold start (see
 * `core/config.ts`). Pure: takes the environment, applies defaults, throws ConfigurationError on a
 * bad value. Every variable here has a row in the README's configuration table.
 */
export interface OidcConfig {
  /** The `iss` every accepted token carries; also the base of OIDC discovery. */
  readonly issuer: string;
  /** At least one of these must be in the token's `aud`. */
  readonly audiences: readonly string[];
  /** Where the issuer's keys are; discovered from `<issuer>/.well-known/openid-configuration` when absent. */
  readonly jwksUri?: string;
  /** Static keys (a JWKS document) instead of fetching them. */
  readonly staticKeys?: { readonly keys: readonly Record<string, unknown>[] };
  readonly algorithms: readonly string[];
  /** The claim naming the principal (`sub` by default, e.g. `email`). */
  readonly principalClaim: string;
  /** The claim listing the principal's groups (an array, or a space- or comma-separated string). */
  readonly groupsClaim: string;
}

export type PrincipalRefType = 'User' | 'ApiKey' | 'Group';

export interface PrincipalRef {
  readonly type: PrincipalRefType;
  readonly id: string;
}

export interface AuthConfig {
  /** `CATALOG_AUTH=disabled` turns authentication, authorization and audit off (local experiments only). */
  readonly enabled: boolean;
  readonly oidc?: OidcConfig;
  /** Tolerance for `exp`, `nbf` and `iat` of every token. */
  readonly clockSkewSeconds: number;
  /** `iss` (and `aud`) of the tokens the catalog issues at `/v1/oauth/tokens`. */
  readonly tokenIssuer: string;
  readonly tokenLifetimeSeconds: number;
  /**
   * The longest a session lasts from the caller's authentication (`auth_time`): token exchange never
   * issues a token that ends later, so a refreshed session still ends (CATALOG_AUTH_MAX_SESSION_AGE).
   */
  readonly maxSessionAgeSeconds: number;
  /** How long a warm function reuses API key records, role bindings and policies before re-reading them. */
  readonly cacheTtlMs: number;
  /** Principals that are CatalogAdmin on the whole catalog by configuration (no stored role binding). */
  readonly admins: readonly PrincipalRef[];
  /** Where the embedded mode writes the admin API key it creates on first start. */
  readonly bootstrapKeyFile: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** Never `none`, never HS*: the catalog only holds public keys of other issuers and its own asymmetric key. */
export const DEFAULT_JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
const ALLOWED_JWT_ALGORITHMS = new Set<string>([...DEFAULT_JWT_ALGORITHMS, 'Ed25519']);

const DEFAULT_CLOCK_SKEW_SECONDS = 30;
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;
/** Tokens are short-lived by design: more than a day is refused. */
const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;
const DEFAULT_MAX_SESSION_AGE_SECONDS = 12 * 3600;
const MAX_MAX_SESSION_AGE_SECONDS = 7 * 24 * 3600;
const DEFAULT_CACHE_TTL_MS = 10_000;
const MAX_CACHE_TTL_MS = 5 * 60_000;
export const BOOTSTRAP_KEY_FILE_NAME = 'admin-api-key';

function nonEmpty(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function list(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const SECONDS = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/;

/** An ISO-8601 duration of hours, minutes and seconds (`PT30S`, `PT1H`), in seconds. */
function durationSeconds(env: Environment, name: string, fallback: number, min: number, max: number): number {
  const text = nonEmpty(env, name);
  if (text === undefined) return fallback;
  const match = SECONDS.exec(text);
  if (match === null || text === 'PT') throw new ConfigurationError(`${name} must be an ISO-8601 duration such as PT30S; got '${text}'`);
  const [h, m, s] = match.slice(1).map((v) => Number(v ?? 0));
  const seconds = (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
  if (seconds < min || seconds > max) throw new ConfigurationError(`${name} must be between ${min} and ${max} seconds; got '${text}'`);
  return seconds;
}

function parseAlgorithms(env: Environment): string[] {
  const given = list(nonEmpty(env, 'CATALOG_OIDC_ALGORITHMS'));
  const algorithms = given.length === 0 ? [...DEFAULT_JWT_ALGORITHMS] : given;
  for (const alg of algorithms) {
    if (!ALLOWED_JWT_ALGORITHMS.has(alg)) {
      throw new ConfigurationError(`CATALOG_OIDC_ALGORITHMS: '${alg}' is not allowed (asymmetric algorithms only; never none or HS*)`);
    }
  }
  return algorithms;
}

function parseStaticKeys(text: string): { keys: Record<string, unknown>[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigurationError('CATALOG_OIDC_JWKS must be a JSON Web Key Set ({"keys": [...]})');
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'object' && k !== null && !Array.isArray(k))) {
    throw new ConfigurationError('CATALOG_OIDC_JWKS must be a JSON Web Key Set with at least one key');
  }
  for (const key of keys as Record<string, unknown>[]) {
    if (key['kty'] === 'oct' || 'd' in key) throw new ConfigurationError('CATALOG_OIDC_JWKS must hold public keys only');
  }
  return { keys: keys as Record<string, unknown>[] };
}

function parseOidc(env: Environment): OidcConfig | undefined {
  const issuer = nonEmpty(env, 'CATALOG_OIDC_ISSUER');
  const audiences = list(nonEmpty(env, 'CATALOG_OIDC_AUDIENCE'));
  const jwksUri = nonEmpty(env, 'CATALOG_OIDC_JWKS_URI');
  const staticJwks = nonEmpty(env, 'CATALOG_OIDC_JWKS');
  if (issuer === undefined) {
    if (audiences.length > 0 || jwksUri !== undefined || staticJwks !== undefined) {
      throw new ConfigurationError('CATALOG_OIDC_ISSUER is required when any CATALOG_OIDC_* setting is given');
    }
    return undefined;
  }
  if (audiences.length === 0) throw new ConfigurationError('CATALOG_OIDC_AUDIENCE is required with CATALOG_OIDC_ISSUER');
  if (jwksUri !== undefined && staticJwks !== undefined) throw new ConfigurationError('Set CATALOG_OIDC_JWKS_URI or CATALOG_OIDC_JWKS, not both');
  for (const [name, url] of [['CATALOG_OIDC_ISSUER', issuer], ['CATALOG_OIDC_JWKS_URI', jwksUri]] as const) {
    if (url !== undefined && staticJwks === undefined && !/^https?:\/\/./i.test(url)) throw new ConfigurationError(`${name} must be an http(s) URL; got '${url}'`);
  }
  return {
    issuer,
    audiences,
    ...(jwksUri !== undefined ? { jwksUri } : {}),
    ...(staticJwks !== undefined ? { staticKeys: parseStaticKeys(staticJwks) } : {}),
    algorithms: parseAlgorithms(env),
    principalClaim: nonEmpty(env, 'CATALOG_OIDC_PRINCIPAL_CLAIM') ?? 'sub',
    groupsClaim: nonEmpty(env, 'CATALOG_OIDC_GROUPS_CLAIM') ?? 'groups',
  };
}

/** `user:alice,group:admins,apikey:ak_...`. */
export function parsePrincipalRefs(name: string, text: string | undefined): PrincipalRef[] {
  return list(text).map((entry) => {
    const colon = entry.indexOf(':');
    const kind = colon < 0 ? '' : entry.slice(0, colon).toLowerCase();
    const id = colon < 0 ? '' : entry.slice(colon + 1);
    const type = kind === 'user' ? 'User' : kind === 'group' ? 'Group' : kind === 'apikey' ? 'ApiKey' : undefined;
    if (type === undefined || id === '') throw new ConfigurationError(`${name}: '${entry}' must be user:<id>, group:<id> or apikey:<id>`);
    return { type, id };
  });
}

export function loadAuthConfig(env: Environment, keyPrefix: string): AuthConfig {
  const mode = nonEmpty(env, 'CATALOG_AUTH') ?? 'enabled';
  if (mode !== 'enabled' && mode !== 'disabled') throw new ConfigurationError(`CATALOG_AUTH must be one of enabled, disabled; got '${mode}'`);
  const oidc = parseOidc(env);
  const tokenIssuer = nonEmpty(env, 'CATALOG_TOKEN_ISSUER') ?? `urn:iceberg-catalog:${keyPrefix === '' ? 'catalog' : keyPrefix}`;
  if (oidc !== undefined && oidc.issuer === tokenIssuer) throw new ConfigurationError('CATALOG_TOKEN_ISSUER must differ from CATALOG_OIDC_ISSUER');
  return {
    enabled: mode === 'enabled',
    ...(oidc !== undefined ? { oidc } : {}),
    clockSkewSeconds: durationSeconds(env, 'CATALOG_AUTH_CLOCK_SKEW', DEFAULT_CLOCK_SKEW_SECONDS, 0, 300),
    tokenIssuer,
    tokenLifetimeSeconds: durationSeconds(env, 'CATALOG_TOKEN_LIFETIME', DEFAULT_TOKEN_LIFETIME_SECONDS, 60, MAX_TOKEN_LIFETIME_SECONDS),
    maxSessionAgeSeconds: durationSeconds(env, 'CATALOG_AUTH_MAX_SESSION_AGE', DEFAULT_MAX_SESSION_AGE_SECONDS, 300, MAX_MAX_SESSION_AGE_SECONDS),
    cacheTtlMs: durationSeconds(env, 'CATALOG_AUTH_CACHE_TTL', DEFAULT_CACHE_TTL_MS / 1000, 0, MAX_CACHE_TTL_MS / 1000) * 1000,
    admins: parsePrincipalRefs('CATALOG_AUTH_ADMINS', nonEmpty(env, 'CATALOG_AUTH_ADMINS')),
    bootstrapKeyFile: resolve(nonEmpty(env, 'CATALOG_BOOTSTRAP_KEY_FILE') ?? resolve(nonEmpty(env, 'CATALOG_DATA_DIR') ?? '.data', BOOTSTRAP_KEY_FILE_NAME)),
  };
}
