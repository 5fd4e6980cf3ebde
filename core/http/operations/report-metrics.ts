import { findTablePointer, noSuchTable } from '../../catalog/tables/table-lookup.js';
import { BadRequestError } from '../../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../json/lossless-json.js';
import { noContent, type Operation } from '../operation.js';
import { requireObjectBody } from '../request-body.js';
import { warehouseOf } from './namespace-params.js';
import { tableIdOf } from './table-params.js';

type FieldCheck = (value: JsonValue | undefined) => boolean;
const isInteger: FieldCheck = (v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
const isString: FieldCheck = (v) => typeof v === 'string';
const isObject: FieldCheck = (v) => isJsonObject(v);
const isIntegerArray: FieldCheck = (v) => Array.isArray(v) && v.every((x) => isInteger(x));
const isStringArray: FieldCheck = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isExpression: FieldCheck = (v) => typeof v === 'boolean' || isJsonObject(v);

const REQUIRED: Record<string, Record<string, FieldCheck>> = {
  'scan-report': {
    'table-name': isString,
    'snapshot-id': isInteger,
    filter: isExpression,
    'schema-id': isInteger,
    'projected-field-ids': isIntegerArray,
    'projected-field-names': isStringArray,
    metrics: isObject,
  },
  'commit-report': {
    'table-name': isString,
    'snapshot-id': isInteger,
    'sequence-number': isInteger,
    operation: isString,
    metrics: isObject,
  },
};

/** Own keys only: `in` would let `__proto__`, `constructor` or `toString` pass as a report type (B12). */
export function validateReport(body: JsonObject): string {
  const type = body['report-type'];
  if (typeof type !== 'string' || !Object.hasOwn(REQUIRED, type)) {
    throw new BadRequestError(`Invalid ReportMetricsRequest: report-type must be one of ${Object.keys(REQUIRED).join(', ')}`);
  }
  for (const [field, check] of Object.entries(REQUIRED[type]!)) {
    if (!check(body[field])) throw new BadRequestError(`Invalid ${type}: field ${field} is missing or has the wrong type`);
  }
  if (body.metadata !== undefined && !isJsonObject(body.metadata)) throw new BadRequestError(`Invalid ${type}: metadata must be an object`);
  return type;
}

/** Validated and accepted; the report itself is left to the request log (engines send one per scan/commit). */
export const reportMetrics: Operation = async (request, ctx) => {
  const id = tableIdOf(request, ctx);
  validateReport(requireObjectBody(request.body, 'ReportMetricsRequest'));
  if ((await findTablePointer(ctx, warehouseOf(request, ctx), id, 'read')) === undefined) throw noSuchTable(id);
  return noContent();
};
