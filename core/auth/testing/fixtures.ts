import type { Clock } from '../../clock.js';
import { MemoryObjectStore } from '../../store/memory-object-store.js';
import { JsonRecordCodec } from '../../store/record-codec.js';
import { RecordStore } from '../../store/record-store.js';
import type { PrincipalRef } from '../auth-config.js';
import { ApiKeys } from '../api-keys.js';
import { AuthKeys } from '../auth-keys.js';
import { AuthorizationStore } from '../authorization-store.js';
import { Authorizer } from '../authorizer.js';
import { CedarEngine } from '../cedar/cedar-engine.js';
import type { Principal } from '../principal.js';
import type { ResourceRef } from '../resources.js';
import type { BindingScope, RoleBinding } from '../role-binding.js';
import { SecretsProvider } from '../secrets.js';
import type { Role } from '../actions.js';

/** Small builders for the security unit tests: an in-memory store, a clock the test moves. */
export class TestClock implements Clock {
  constructor(private ms = Date.parse('2026-01-01T00:00:00Z')) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function aRecordStore(): RecordStore {
  return new RecordStore(new MemoryObjectStore(), new JsonRecordCodec());
}

export interface AuthFixture {
  readonly records: RecordStore;
  readonly keys: AuthKeys;
  readonly clock: TestClock;
  readonly secrets: SecretsProvider;
  readonly store: AuthorizationStore;
  readonly engine: CedarEngine;
  readonly authorizer: Authorizer;
  apiKeys(cacheTtlMs?: number): ApiKeys;
}

let sharedEngine: CedarEngine | undefined;

export function anAuthFixture(options: { admins?: PrincipalRef[]; ttlMs?: number } = {}): AuthFixture {
  const records = aRecordStore();
  const keys = new AuthKeys('test');
  const clock = new TestClock();
  const secrets = new SecretsProvider(records, keys, () => new Date(clock.now()));
  const store = new AuthorizationStore(records, keys, clock, options.ttlMs ?? 10_000);
  sharedEngine ??= new CedarEngine();
  return {
    records,
    keys,
    clock,
    secrets,
    store,
    engine: sharedEngine,
    authorizer: new Authorizer(sharedEngine, store, options.admins ?? []),
    apiKeys: (ttl = 10_000) => new ApiKeys(records, keys, secrets, clock, ttl),
  };
}

export const WAREHOUSE = 'default';

export function aUser(id: string, groups: string[] = []): Principal {
  return { type: 'User', id, groups, authMethod: 'oidc' };
}

export const aWarehouse = (warehouse = WAREHOUSE): ResourceRef => ({ type: 'Warehouse', warehouse });
export const aNamespace = (...namespace: string[]): ResourceRef => ({ type: 'Namespace', warehouse: WAREHOUSE, namespace });
export const aTable = (namespace: string[], name: string): ResourceRef => ({ type: 'Table', warehouse: WAREHOUSE, namespace, name });
export const aView = (namespace: string[], name: string): ResourceRef => ({ type: 'View', warehouse: WAREHOUSE, namespace, name });

let bindingCount = 0;

export function aBinding(role: Role, principal: PrincipalRef, scope: BindingScope, id = `rb-${++bindingCount}`): RoleBinding {
  return { id, role, principal, scope, createdAt: '2026-01-01T00:00:00Z', createdBy: 'test' };
}

export const onNamespace = (...namespace: string[]): BindingScope => ({ type: 'Namespace', warehouse: WAREHOUSE, namespace });
export const onWarehouse = (warehouse = WAREHOUSE): BindingScope => ({ type: 'Warehouse', warehouse });
