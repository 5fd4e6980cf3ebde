import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../../errors.js';
import { parseJson, type JsonObject } from '../../json/lossless-json.js';
import { validateReport } from './report-metrics.js';

const commitReport = { 'table-name': 'ns.t', 'snapshot-id': 1, 'sequence-number': 1, operation: 'append', metrics: {} };

test('report-type must be one of the spec types, not an inherited member name (B12)', () => {
  assert.equal(validateReport({ 'report-type': 'commit-report', ...commitReport }), 'commit-report');
  for (const type of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    const body = parseJson(JSON.stringify({ ...commitReport, 'report-type': type })) as JsonObject;
    assert.throws(() => validateReport(body), BadRequestError, type);
  }
});
