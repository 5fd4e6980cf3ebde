import type { PrincipalRef } from '../auth-config.js';
import { ROLES, type Role } from '../actions.js';
import { CATALOG } from '../resources.js';
import { ancestorsOf, type RoleBinding } from '../role-binding.js';
import type { TemplateLink } from './cedar-engine.js';
import { principalUid, resourceUid } from './entities.js';

/**
 * Built-in roles are Cedar templates; a role binding is a template link. So a binding is a policy
 * like any other (it shows up by id in a decision's reasons) and a principal's bindings compile to
 * a handful of links rather than to generated policy text.
 *
 *   role:<Role>   permit(principal in ?principal, action in Action::"<Role>", resource in ?resource);
 *   traverse      permit(principal in ?principal, action in Action::"Traverse", resource == ?resource);
 *
 * Policy ids: `binding:<id>` for a stored binding (its Traverse links add `#traverse:<n>`),
 * `config:<type>:<id>` for a CatalogAdmin named in CATALOG_AUTH_ADMINS, `policy:<id>` for a custom
 * policy.
 */
const TRAVERSE_TEMPLATE = 'traverse';

export const ROLE_TEMPLATES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(ROLES.map((role) => [`role:${role}`, `permit(principal in ?principal, action in Action::"${role}", resource in ?resource);`])),
  [TRAVERSE_TEMPLATE]: 'permit(principal in ?principal, action in Action::"Traverse", resource == ?resource);',
};

export const BINDING_POLICY_PREFIX = 'binding:';
export const CUSTOM_POLICY_PREFIX = 'policy:';
export const CONFIG_POLICY_PREFIX = 'config:';

function roleLink(newId: string, role: Role, principal: PrincipalRef, resource: TemplateLink['values'][string]): TemplateLink {
  return { templateId: `role:${role}`, newId, values: { '?principal': principalUid(principal), '?resource': resource } };
}

export function bindingLinks(binding: RoleBinding): TemplateLink[] {
  const id = `${BINDING_POLICY_PREFIX}${binding.id}`;
  return [
    roleLink(id, binding.role, binding.principal, resourceUid(binding.scope)),
    ...ancestorsOf(binding.scope).map((ancestor, i) => ({
      templateId: TRAVERSE_TEMPLATE,
      newId: `${id}#traverse:${i}`,
      values: { '?principal': principalUid(binding.principal), '?resource': resourceUid(ancestor) },
    })),
  ];
}

export function configAdminLink(admin: PrincipalRef): TemplateLink {
  return roleLink(`${CONFIG_POLICY_PREFIX}${admin.type}:${admin.id}`, 'CatalogAdmin', admin, resourceUid(CATALOG));
}

/** The id an operator knows: a binding's Traverse links report as the binding itself. */
export function reportedPolicyId(cedarId: string): string {
  const hash = cedarId.indexOf('#traverse:');
  return hash < 0 ? cedarId : cedarId.slice(0, hash);
}
