import { CommitFailedError } from '../../errors.js';

/** Every requirement failure is a 409 whose text starts as Java's does; the RCK matches on it. */
export function requirementFailed(detail: string): CommitFailedError {
  return new CommitFailedError(`Requirement failed: ${detail}`);
}

/** Only assert-create is meaningful without a table; the catalog answers 404 before getting here. */
export function tableMustExist<T>(metadata: T | undefined): T {
  if (metadata === undefined) throw requirementFailed('table does not exist');
  return metadata;
}
