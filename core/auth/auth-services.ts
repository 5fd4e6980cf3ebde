import type { CatalogContext } from '../catalog/context.js';
import { ApiKeys } from './api-keys.js';
import { AuthKeys } from './auth-keys.js';
import { Authenticator } from './authenticator.js';
import { AuthorizationStore } from './authorization-store.js';
import { Authorizer } from './authorizer.js';
import { AuditLog } from './audit.js';
import { CedarEngine } from './cedar/cedar-engine.js';
import { JwtVerifier } from './jwt-verifier.js';
import { OAuthClients } from './oauth-clients.js';
import { SecretsProvider } from './secrets.js';
import { TokenIssuer } from './token-issuer.js';

/**
 * The security services of one catalog context, composed from its ports (records, clock, config)
 * on first use and kept for the life of the container, with their caches. Deriving them from the
 * context (rather than adding fields to it) keeps `CatalogContext` unchanged for every other use
 * case; tests get their own services by building their own context.
 */
export interface AuthServices {
  readonly keys: AuthKeys;
  readonly secrets: SecretsProvider;
  readonly apiKeys: ApiKeys;
  readonly oauthClients: OAuthClients;
  readonly tokens: TokenIssuer;
  readonly jwts: JwtVerifier;
  readonly authenticator: Authenticator;
  readonly policies: AuthorizationStore;
  /** Loads Cedar's WebAssembly on first use (only requests that need a decision pay for it). */
  readonly engine: CedarEngine;
  readonly authorizer: Authorizer;
  readonly audit: AuditLog;
}

const services = new WeakMap<CatalogContext, AuthServices>();

export function createAuthServices(ctx: CatalogContext): AuthServices {
  const auth = ctx.config.auth;
  const keys = new AuthKeys(ctx.config.keyPrefix);
  const now = () => new Date(ctx.clock.now());
  const secrets = new SecretsProvider(ctx.records, keys, now);
  const apiKeys = new ApiKeys(ctx.records, keys, secrets, ctx.clock, auth.cacheTtlMs);
  const oauthClients = new OAuthClients(ctx.records, keys, secrets, ctx.clock, auth.cacheTtlMs);
  const jwts = new JwtVerifier({
    ...(auth.oidc !== undefined ? { oidc: auth.oidc } : {}),
    tokenIssuer: auth.tokenIssuer,
    clockSkewSeconds: auth.clockSkewSeconds,
    clock: ctx.clock,
    secrets,
    clientExists: (id) => oauthClients.exists(id),
  });
  const policies = new AuthorizationStore(ctx.records, keys, ctx.clock, auth.cacheTtlMs);
  let engine: CedarEngine | undefined;
  let authorizer: Authorizer | undefined;
  const built: AuthServices = {
    keys,
    secrets,
    apiKeys,
    oauthClients,
    tokens: new TokenIssuer(secrets, auth.tokenIssuer, auth.tokenLifetimeSeconds, ctx.clock),
    jwts,
    authenticator: new Authenticator(apiKeys, jwts),
    policies,
    get engine() {
      engine ??= new CedarEngine();
      return engine;
    },
    get authorizer() {
      authorizer ??= new Authorizer(built.engine, policies, auth.admins);
      return authorizer;
    },
    audit: new AuditLog(ctx.records, keys, ctx.clock),
  };
  return built;
}

export function authServices(ctx: CatalogContext): AuthServices {
  let found = services.get(ctx);
  if (found === undefined) {
    found = createAuthServices(ctx);
    services.set(ctx, found);
  }
  return found;
}
