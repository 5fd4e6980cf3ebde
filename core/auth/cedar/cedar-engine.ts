import type { EntityJson, EntityUidJson, PolicySet, TemplateLink } from '@cedar-policy/cedar-wasm/web';
import { cedarWasm, type CedarWasm } from './cedar-wasm.js';
import { cedarSchemaText } from './schema.js';

/**
 * Cedar behind a small interface: validate a policy against the schema, compile a policy set once
 * (Cedar parses it into its own memory: a warm decision parses nothing), decide a request.
 *
 * Compiled sets live in a fixed number of slots, reused least-recently-used, so a long-lived
 * container holding many principals' slices does not grow without bound.
 */
export type { EntityJson, EntityUidJson, TemplateLink };

export interface PolicySetParts {
  readonly templates: Readonly<Record<string, string>>;
  readonly links: readonly TemplateLink[];
  readonly policies: Readonly<Record<string, string>>;
}

export interface CedarRequest {
  readonly principal: EntityUidJson;
  readonly action: string;
  readonly resource: EntityUidJson;
  readonly entities: EntityJson[];
}

export interface CedarDecision {
  readonly allowed: boolean;
  /** Ids of the policies that decided (the permits that allowed, or the forbids that denied). */
  readonly policies: readonly string[];
  /** Policies that failed to evaluate (skipped by Cedar, which is safe for permits). */
  readonly errors: readonly string[];
}

export interface PolicyProblem {
  readonly message: string;
}

/** How many compiled policy sets one container keeps. */
export const COMPILED_SET_SLOTS = 64;

let instances = 0;

export class CedarEngine {
  private readonly cedar: CedarWasm;
  private readonly schemaText = cedarSchemaText();
  private readonly schemaName: string;
  private readonly slotPrefix: string;
  /** Compiled set key → slot id, in least-recently-used order. */
  private readonly slots = new Map<string, string>();
  private nextSlot = 0;

  constructor(private readonly slotCount = COMPILED_SET_SLOTS) {
    this.cedar = cedarWasm();
    const instance = instances++;
    this.schemaName = `catalog-schema-${instance}`;
    this.slotPrefix = `catalog-${instance}-`;
    const answer = this.cedar.preparseSchema(this.schemaName, this.schemaText);
    if (answer.type !== 'success') throw new Error(`Cedar schema does not parse: ${answer.errors.map((e) => e.message).join('; ')}`);
  }

  get schema(): string {
    return this.schemaText;
  }

  /**
   * Problems with one custom policy: it must be a single static policy (no template, no slot) and
   * pass strict validation against the schema (known entity types, actions, attributes), without
   * warnings (a policy that can never apply is a mistake).
   */
  validatePolicy(text: string): PolicyProblem[] {
    const parts = this.cedar.policySetTextToParts(text);
    if (parts.type !== 'success') return parts.errors.map((e) => ({ message: e.message }));
    if (parts.policy_templates.length > 0) return [{ message: 'templates (?principal, ?resource) are not allowed in custom policies' }];
    if (parts.policies.length !== 1) return [{ message: `expected exactly one policy, found ${parts.policies.length}` }];
    const answer = this.cedar.validate({ schema: this.schemaText, policies: { staticPolicies: { policy: text } }, validationSettings: { mode: 'strict' } });
    if (answer.type !== 'success') return answer.errors.map((e) => ({ message: e.message }));
    // Warnings are refused too: they say the policy can never apply (e.g. an action on the wrong resource type).
    return [...answer.validationErrors, ...answer.validationWarnings].map((e) => ({ message: e.error.message + (e.error.help ? ` (${e.error.help})` : '') }));
  }

  /** The slot holding `parts` compiled, compiling it when `key` is not among the recent ones. */
  compile(key: string, parts: () => PolicySetParts): string {
    const existing = this.slots.get(key);
    if (existing !== undefined) {
      this.slots.delete(key);
      this.slots.set(key, existing);
      return existing;
    }
    let slot: string;
    if (this.slots.size < this.slotCount) {
      slot = `${this.slotPrefix}${this.nextSlot++}`;
    } else {
      const [oldestKey, oldestSlot] = this.slots.entries().next().value as [string, string];
      this.slots.delete(oldestKey);
      slot = oldestSlot;
    }
    const { templates, links, policies } = parts();
    const set: PolicySet = { staticPolicies: { ...policies }, templates: { ...templates }, templateLinks: [...links] };
    const answer = this.cedar.preparsePolicySet(slot, set);
    if (answer.type !== 'success') throw new Error(`Cedar policy set does not parse: ${answer.errors.map((e) => e.message).join('; ')}`);
    this.slots.set(key, slot);
    return slot;
  }

  decide(slot: string, request: CedarRequest): CedarDecision {
    const answer = this.cedar.statefulIsAuthorized({
      principal: request.principal,
      action: { type: 'Action', id: request.action },
      resource: request.resource,
      context: {},
      entities: request.entities,
      preparsedPolicySetId: slot,
      preparsedSchemaName: this.schemaName,
      validateRequest: false,
    });
    if (answer.type !== 'success') throw new Error(`Cedar authorization failed: ${answer.errors.map((e) => e.message).join('; ')}`);
    const { decision, diagnostics } = answer.response;
    const errors: string[] = [];
    for (const e of diagnostics.errors) errors.push(e.policyId);
    return { allowed: decision === 'allow', policies: diagnostics.reason, errors };
  }
}
