import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJson } from '../../json/lossless-json.js';
import { ScanTooLargeError, UnreadableScanFileError, type ScanPlan } from '../../planning/plan-scan.js';
import { mapErrorFor } from '../error-response.js';
import { completedPlanAnswer } from './plan-table-scan.js';

/** A plan of `count` data files (minimal task JSON: the answer's length is what matters here). */
const aPlan = (count: number): ScanPlan => ({
  snapshotId: 1n,
  fileScanTasks: Array.from({ length: count }, (_, i) => ({ 'data-file': { 'file-path': `s3://b/t/data/${i}.parquet`, 'record-count': 10n } })),
  deleteFiles: [],
});

test('a completed answer: status, plan-id, the tasks and delete files, no plan-tasks; longs exact', () => {
  const answer = parseJson(completedPlanAnswer(aPlan(2), 'p-1').text);
  assert.deepEqual(Object.keys(answer as object).sort(), ['delete-files', 'file-scan-tasks', 'plan-id', 'status']);
  assert.equal((answer as { status: string }).status, 'completed');
  assert.equal((answer as { 'file-scan-tasks': unknown[] })['file-scan-tasks'].length, 2);
});

test('an answer longer than one response may carry is a ScanTooLargeError (406), not a gateway error', () => {
  const text = completedPlanAnswer(aPlan(10), 'p-1').text;
  assert.doesNotThrow(() => completedPlanAnswer(aPlan(10), 'p-1', Buffer.byteLength(text)));
  assert.throws(() => completedPlanAnswer(aPlan(11), 'p-1', Buffer.byteLength(text)), (error: unknown) => error instanceof ScanTooLargeError && error.status === 406 && error.message.includes('11 file scan tasks'));
});

test('a scan over the plan limits answers the 406 UnsupportedOperationException the spec lists for planTableScan', () => {
  const mapped = mapErrorFor('planTableScan', new ScanTooLargeError('The scan reads 10001 manifests, more than 10000'));
  assert.equal(mapped.status, 406);
  assert.deepEqual(mapped.body, { error: { message: 'The scan reads 10001 manifests, more than 10000', type: 'UnsupportedOperationException', code: 406 } });
});

test('a table file the plan cannot use: missing 404, outside 403, corrupt 500; each names the file, never the cause', () => {
  const cases = [
    ['missing', 404, 'NotFoundException'],
    ['outside', 403, 'ForbiddenException'],
    ['unreadable', 500, 'RuntimeIOException'],
  ] as const;
  for (const [reason, status, type] of cases) {
    const mapped = mapErrorFor('planTableScan', new UnreadableScanFileError('manifest', 's3://b/t/metadata/m.avro', reason, { cause: new Error('secret detail') }));
    assert.equal(mapped.status, status, reason);
    assert.equal(mapped.body.error.type, type, reason);
    assert.equal(mapped.body.error.code, status, reason);
    assert.ok(mapped.body.error.message.includes('m.avro') && !mapped.body.error.message.includes('secret'));
  }
});
