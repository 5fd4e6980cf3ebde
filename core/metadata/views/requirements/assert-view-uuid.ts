import { requirementFailed } from '../../requirements/requirement-failed.js';
import type { AssertViewUuid, ViewMetadata } from '../types.js';

/**
 * UUIDs compare case-insensitively: clients may print them in either case. The text is Java's
 * `AssertViewUUID` ("view UUID"), with the client's expectation first as the table check has it.
 */
export function checkAssertViewUuid(metadata: ViewMetadata, requirement: AssertViewUuid): void {
  if (requirement.uuid.toLowerCase() !== metadata.viewUuid.toLowerCase()) {
    throw requirementFailed(`view UUID does not match: expected ${requirement.uuid} != ${metadata.viewUuid}`);
  }
}
