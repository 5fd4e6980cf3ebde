/**
 * The one place a `PlanTableScanRequest` body (rest-catalog-open-api.yaml) is validated and turned
 * into planScan's ScanRequest. Every field of the spec is read here and nowhere else; a member the
 * spec does not define is refused (a field this catalog ignored could change what the client meant,
 * as parseExpression refuses unknown members in a filter). Each mistake is a 400 whose message
 * starts with the field's path (`select[2]: expected a string`, `filter.left.child: ...`).
 *
 * What is checked here is the request on its own; what needs the table (an unknown snapshot, a
 * column not in the scan schema, a start snapshot that is no ancestor of the end) is planScan's.
 */
import { BadRequestError } from '../../errors.js';
import type { JsonValue } from '../../json/lossless-json.js';
import {
  expectString,
  fail,
  optional,
  optionalArray,
  optionalBoolean,
  optionalLong,
} from '../../metadata/validate/json-fields.js';
import { parseExpression } from '../../planning/expressions/index.js';
import type { ScanRequest } from '../../planning/plan-scan.js';
import { requireObjectBody } from '../request-body.js';

/** Names in `select` and in `stats-fields`, each: far more than any real schema has columns. */
export const MAX_SCAN_FIELD_NAMES = 10_000;
/** One field name (a full dotted name of a nested column), as parseExpression bounds a column name. */
export const MAX_SCAN_FIELD_NAME_LENGTH = 65_536;

const REQUEST_FIELDS: ReadonlySet<string> = new Set([
  'snapshot-id',
  'select',
  'filter',
  'min-rows-requested',
  'case-sensitive',
  'use-snapshot-schema',
  'start-snapshot-id',
  'end-snapshot-id',
  'stats-fields',
]);

/** Longest unknown member name quoted back in a message. */
const MAX_NAME_IN_MESSAGE = 64;

export function parsePlanTableScanRequest(body: JsonValue | undefined): ScanRequest {
  const record = requireObjectBody(body, 'PlanTableScanRequest');
  const unknown = Object.keys(record).filter((key) => !REQUEST_FIELDS.has(key));
  if (unknown.length > 0) {
    const named = unknown.slice(0, 5).map((key) => `'${key.slice(0, MAX_NAME_IN_MESSAGE)}'`).join(', ');
    throw new BadRequestError(`Invalid PlanTableScanRequest: unknown field${unknown.length > 1 ? 's' : ''} ${named}${unknown.length > 5 ? ', ...' : ''}; expected only ${[...REQUEST_FIELDS].join(', ')}`);
  }

  const snapshotId = optionalLong(record, 'snapshot-id', '');
  const startSnapshotId = optionalLong(record, 'start-snapshot-id', '');
  const endSnapshotId = optionalLong(record, 'end-snapshot-id', '');
  if (snapshotId !== undefined && (startSnapshotId !== undefined || endSnapshotId !== undefined)) {
    fail('', 'Invalid PlanTableScanRequest: snapshot-id (a point-in-time scan) cannot be combined with start-snapshot-id or end-snapshot-id (an incremental scan)');
  }
  if (startSnapshotId !== undefined && endSnapshotId === undefined) fail('end-snapshot-id', 'required when start-snapshot-id is given');
  const minRowsRequested = optionalLong(record, 'min-rows-requested', '');
  if (minRowsRequested !== undefined && minRowsRequested < 0n) fail('min-rows-requested', 'must not be negative');

  const filterJson = optional(record, 'filter');
  const select = fieldNames(record, 'select');
  const statsFields = fieldNames(record, 'stats-fields');
  const caseSensitive = optionalBoolean(record, 'case-sensitive', '');
  const useSnapshotSchema = optionalBoolean(record, 'use-snapshot-schema', '');
  return {
    snapshotId,
    filter: filterJson === undefined ? undefined : parseExpression(filterJson as JsonValue, { path: 'filter' }),
    select,
    caseSensitive,
    useSnapshotSchema,
    startSnapshotId,
    endSnapshotId,
    statsFields,
    minRowsRequested,
  };
}

function fieldNames(record: Readonly<Record<string, unknown>>, key: 'select' | 'stats-fields'): string[] | undefined {
  const value = optional(record, key);
  if (Array.isArray(value) && value.length > MAX_SCAN_FIELD_NAMES) fail(key, `more than ${MAX_SCAN_FIELD_NAMES} field names`);
  return optionalArray(record, key, '', (item, path) => {
    const name = expectString(item, path);
    if (name === '') fail(path, 'must not be empty');
    if (name.length > MAX_SCAN_FIELD_NAME_LENGTH) fail(path, `longer than ${MAX_SCAN_FIELD_NAME_LENGTH} characters`);
    return name;
  });
}
