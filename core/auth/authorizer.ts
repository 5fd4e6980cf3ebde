import { formatNamespace } from '../catalog/namespace.js';
import { LruCache } from '../lru-cache.js';
import { ForbiddenError, NoSuchNamespaceError, NoSuchTableError, NoSuchViewError, NoSuchWarehouseError, type CatalogError } from '../errors.js';
import type { PrincipalRef } from './auth-config.js';
import { VISIBILITY_ACTION, type ActionId } from './actions.js';
import type { AuthorizationSnapshot, AuthorizationStore } from './authorization-store.js';
import type { CedarEngine, EntityJson, PolicySetParts, TemplateLink } from './cedar/cedar-engine.js';
import { principalEntity, resourceEntities, resourceUid } from './cedar/entities.js';
import { bindingLinks, configAdminLink, CUSTOM_POLICY_PREFIX, reportedPolicyId, ROLE_TEMPLATES } from './cedar/role-policies.js';
import { principalCacheKey, type Principal } from './principal.js';
import { describeResource, resourceEntityId, type ResourceRef } from './resources.js';

/**
 * Decisions for one principal. Default deny: only a permit (a role binding or a custom policy) allows,
 * and any matching forbid wins.
 *
 * Cost on a warm function: the policy set a principal can match (its own and its groups' bindings,
 * the configured admins, every custom policy) is compiled once per change of policies; a decision
 * passes Cedar only the principal and the resource chain; and decisions are cached per
 * (policies revision, principal, action, resource), which holds because entities are derived
 * from ids alone and the context is empty.
 */
export interface Decision {
  readonly allowed: boolean;
  /** The policies that decided: the permits that allowed, or the forbids that denied (empty: default deny). */
  readonly policies: readonly string[];
}

export interface AccessCheck {
  readonly action: ActionId;
  readonly resource: ResourceRef;
}

export type CheckOutcome =
  | { readonly allowed: true; readonly policies: readonly string[] }
  | { readonly allowed: false; readonly check: AccessCheck; readonly visible: boolean; readonly policies: readonly string[] };

/** Decisions cached per container; the cache is emptied whenever policies change. */
export const DECISION_CACHE_SIZE = 10_000;
/** Principals whose policy-set slice is remembered per container. */
const PRINCIPAL_SLICE_CACHE_SIZE = 1_000;

function principalRefs(principal: Principal): PrincipalRef[] {
  return [
    { type: principal.type, id: principal.id },
    ...principal.groups.map((id) => ({ type: 'Group' as const, id })),
    ...(principal.type === 'ApiKey' && principal.user !== undefined ? [{ type: 'User' as const, id: principal.user }] : []),
  ];
}

const refKey = (ref: PrincipalRef) => `${ref.type}\u0000${ref.id}`;

export class Authorizer {
  /** Bounded LRU caches: principals (from tokens) and resources (from paths) are caller input. */
  private readonly decisions = new LruCache<Decision>(DECISION_CACHE_SIZE);
  /** Per principal: which policies it can match (its slice of the policy set) at a revision. */
  private readonly slices = new LruCache<{ revision: string; key: string; parts: () => PolicySetParts }>(PRINCIPAL_SLICE_CACHE_SIZE);
  private cachedRevision = '';

  constructor(
    private readonly engine: CedarEngine,
    private readonly store: AuthorizationStore,
    private readonly admins: readonly PrincipalRef[],
  ) {}

  /** A session over the current policies: every decision in it is synchronous. */
  async session(principal: Principal): Promise<AccessSession> {
    const snapshot = await this.store.snapshot();
    if (snapshot.revision !== this.cachedRevision) {
      this.decisions.clear();
      this.cachedRevision = snapshot.revision;
    }
    const principalKey = principalCacheKey(principal);
    let slice = this.slices.get(principalKey);
    if (slice === undefined || slice.revision !== snapshot.revision) {
      const refs = new Set(principalRefs(principal).map(refKey));
      const bindings = snapshot.bindings.filter((b) => refs.has(refKey(b.principal)));
      const admins = this.admins.filter((a) => refs.has(refKey(a)));
      const key = JSON.stringify([snapshot.revision, bindings.map((b) => b.id), admins.map(refKey)]);
      slice = { revision: snapshot.revision, key, parts: () => this.policySet(snapshot, bindings, admins) };
      this.slices.set(principalKey, slice);
    }
    const slot = this.engine.compile(slice.key, slice.parts);
    return new AccessSession(this.engine, slot, `${slice.key}\u0001${principalKey}`, principal, this.decisions);
  }

  private policySet(snapshot: AuthorizationSnapshot, bindings: AuthorizationSnapshot['bindings'], admins: readonly PrincipalRef[]): PolicySetParts {
    const links: TemplateLink[] = [...bindings.flatMap(bindingLinks), ...admins.map(configAdminLink)];
    const policies = Object.fromEntries(snapshot.policies.map((p) => [`${CUSTOM_POLICY_PREFIX}${p.id}`, p.policy]));
    return { templates: ROLE_TEMPLATES, links, policies };
  }
}

export class AccessSession {
  private readonly principalJson: EntityJson;

  constructor(
    private readonly engine: CedarEngine,
    private readonly slot: string,
    private readonly cacheKey: string,
    readonly principal: Principal,
    private readonly cache: LruCache<Decision>,
  ) {
    this.principalJson = principalEntity(principal);
  }

  decide(action: ActionId, resource: ResourceRef): Decision {
    const key = `${this.cacheKey}\u0001${action}\u0001${resource.type}\u0001${resourceEntityId(resource)}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const answer = this.engine.decide(this.slot, {
      principal: this.principalJson.uid,
      action,
      resource: resourceUid(resource),
      entities: [this.principalJson, ...resourceEntities(resource)],
    });
    const policies: string[] = [];
    for (const id of answer.policies) {
      const reported = reportedPolicyId(id);
      if (!policies.includes(reported)) policies.push(reported);
    }
    const decision: Decision = { allowed: answer.allowed, policies };
    this.cache.set(key, decision);
    return decision;
  }

  /** Whether the principal may know the resource exists (see VISIBILITY_ACTION). */
  canSee(resource: ResourceRef): boolean {
    const action = VISIBILITY_ACTION[resource.type];
    return action === undefined || this.decide(action, resource).allowed;
  }

  /** All checks must pass; the first that fails decides the answer (and whether the resource is visible). */
  check(checks: readonly AccessCheck[]): CheckOutcome {
    const policies: string[] = [];
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i]!;
      const decision = this.decide(check.action, check.resource);
      if (!decision.allowed) return { allowed: false, check, visible: this.canSee(check.resource), policies: decision.policies };
      for (const id of decision.policies) if (!policies.includes(id)) policies.push(id);
    }
    return { allowed: true, policies };
  }
}

/**
 * The answer to a denied check. A resource the caller may not see is reported exactly as a missing
 * one (same status, type and message as the operation itself would give), so a denial reveals
 * nothing about existence; a visible one gets 403.
 */
export function accessDeniedError(check: AccessCheck, visible: boolean): CatalogError {
  const { resource } = check;
  if (visible) return new ForbiddenError(`Not allowed to ${check.action} on ${describeResource(resource)}`);
  switch (resource.type) {
    case 'Catalog':
      return new ForbiddenError(`Not allowed to ${check.action}`);
    case 'Warehouse':
      return new NoSuchWarehouseError(`Warehouse does not exist: ${resource.warehouse}`);
    case 'Namespace':
      return new NoSuchNamespaceError(`Namespace does not exist: ${formatNamespace(resource.namespace)}`);
    case 'Table':
      return new NoSuchTableError(`Table does not exist: ${formatNamespace(resource.namespace)}.${resource.name}`);
    case 'View':
      return new NoSuchViewError(`View does not exist: ${formatNamespace(resource.namespace)}.${resource.name}`);
  }
}
