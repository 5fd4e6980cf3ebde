import { escapeName } from '../store/key-names.js';

/**
 * Where the security records live, beside the warehouses under the catalog's key prefix:
 *
 *   <prefix>/sys/auth/secrets                     the keyed-hash key of API keys and the token signing key
 *   <prefix>/sys/auth/bootstrap                   marks that the embedded mode created its admin key
 *   <prefix>/sys/auth/api-keys/<id>               one API key (its keyed hash, never the secret)
 *   <prefix>/sys/auth/oauth-clients/<id>          one OAuth client (its Argon2id hash)
 *   <prefix>/sys/authz/bindings/<id>              one role binding (immutable: created, then deleted)
 *   <prefix>/sys/authz/policies/<id>              one custom Cedar policy with its whole history
 *   <prefix>/sys/audit/<yyyy>/<mm>/<dd>/<hh>/<ts>-<request id>   one audit record per request (append-only)
 *
 * Ids are escaped like catalog names, so no id can reach outside its folder.
 */
export class AuthKeys {
  private readonly root: string;

  constructor(keyPrefix: string) {
    this.root = keyPrefix === '' ? 'sys/' : `${keyPrefix}/sys/`;
  }

  secrets(): string {
    return `${this.root}auth/secrets`;
  }

  bootstrap(): string {
    return `${this.root}auth/bootstrap`;
  }

  apiKeysPrefix(): string {
    return `${this.root}auth/api-keys/`;
  }

  apiKey(id: string): string {
    return this.apiKeysPrefix() + escapeName(id);
  }

  oauthClientsPrefix(): string {
    return `${this.root}auth/oauth-clients/`;
  }

  oauthClient(id: string): string {
    return this.oauthClientsPrefix() + escapeName(id);
  }

  bindingsPrefix(): string {
    return `${this.root}authz/bindings/`;
  }

  binding(id: string): string {
    return this.bindingsPrefix() + escapeName(id);
  }

  policiesPrefix(): string {
    return `${this.root}authz/policies/`;
  }

  policy(id: string): string {
    return this.policiesPrefix() + escapeName(id);
  }

  auditPrefix(): string {
    return `${this.root}audit/`;
  }

  /** Time-bucketed so an auditor lists one hour at a time; the request id makes the key unique. */
  auditRecord(at: Date, requestId: string): string {
    const iso = at.toISOString();
    const [date, time] = iso.split('T') as [string, string];
    const [y, m, d] = date.split('-');
    return `${this.auditPrefix()}${y}/${m}/${d}/${time.slice(0, 2)}/${iso.replace(/[:.]/g, '')}-${escapeName(requestId)}`;
  }
}
