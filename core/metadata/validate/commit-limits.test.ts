import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../errors.js';
import { validateViewRequirements } from '../views/validate/view-requirement.js';
import { validateViewUpdates } from '../views/validate/view-update.js';
import { MAX_REQUIREMENTS_PER_COMMIT, MAX_UPDATES_PER_COMMIT } from './commit-limits.js';
import { validateTableRequirements } from './table-requirement.js';
import { validateTableUpdates } from './table-update.js';

const update = { action: 'set-properties', updates: { a: 'b' } };
const requirement = { type: 'assert-table-uuid', uuid: '9c12d441-03fe-4693-9a96-a0705ddf69c1' };
const viewRequirement = { type: 'assert-view-uuid', uuid: '9c12d441-03fe-4693-9a96-a0705ddf69c1' };

test('a commit carries at most MAX_UPDATES_PER_COMMIT updates (F6)', () => {
  assert.equal(validateTableUpdates(Array(MAX_UPDATES_PER_COMMIT).fill(update)).length, MAX_UPDATES_PER_COMMIT);
  assert.throws(() => validateTableUpdates(Array(MAX_UPDATES_PER_COMMIT + 1).fill(update)), (error: unknown) => error instanceof BadRequestError && /at most 1000 updates/.test(error.message));
  assert.equal(validateViewUpdates(Array(MAX_UPDATES_PER_COMMIT).fill(update)).length, MAX_UPDATES_PER_COMMIT);
  assert.throws(() => validateViewUpdates(Array(MAX_UPDATES_PER_COMMIT + 1).fill(update)), BadRequestError);
});

test('a commit carries at most MAX_REQUIREMENTS_PER_COMMIT requirements (F6)', () => {
  assert.equal(validateTableRequirements(Array(MAX_REQUIREMENTS_PER_COMMIT).fill(requirement)).length, MAX_REQUIREMENTS_PER_COMMIT);
  assert.throws(() => validateTableRequirements(Array(MAX_REQUIREMENTS_PER_COMMIT + 1).fill(requirement)), BadRequestError);
  assert.throws(() => validateViewRequirements(Array(MAX_REQUIREMENTS_PER_COMMIT + 1).fill(viewRequirement)), BadRequestError);
});
