/** The one dispatch from a view requirement type to its check; exhaustive like apply-update.ts. */
import { stringifyJson } from '../../../json/lossless-json.js';
import type { ViewMetadata, ViewRequirement } from '../types.js';
import { checkAssertViewUuid } from './assert-view-uuid.js';

export function checkViewRequirement(metadata: ViewMetadata, requirement: ViewRequirement): void {
  // A one-member union does not narrow by discriminant, so the exhaustiveness check uses the tag.
  const type = requirement.type;
  switch (type) {
    case 'assert-view-uuid':
      return checkAssertViewUuid(metadata, requirement);
    default:
      return unhandled(type, requirement);
  }
}

function unhandled(_type: never, requirement: ViewRequirement): never {
  throw new Error(`Unhandled view requirement: ${stringifyJson(requirement)}`);
}

export function checkViewRequirements(metadata: ViewMetadata, requirements: readonly ViewRequirement[]): void {
  for (const requirement of requirements) checkViewRequirement(metadata, requirement);
}
