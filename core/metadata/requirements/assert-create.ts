import type { AssertCreate, TableMetadata } from '../types.js';
import { requirementFailed } from './requirement-failed.js';

export function checkAssertCreate(metadata: TableMetadata | undefined, _requirement: AssertCreate): void {
  if (metadata !== undefined) throw requirementFailed('table already exists');
}
