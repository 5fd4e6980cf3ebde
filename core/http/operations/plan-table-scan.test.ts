import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScanTooLargeError, UnreadableScanFileError } from '../../planning/plan-scan.js';
import { mapErrorFor } from '../error-response.js';

test('a scan over the plan limits answers the 406 UnsupportedOperationException the spec lists for planTableScan', () => {
  const mapped = mapErrorFor('planTableScan', new ScanTooLargeError('The scan reads 10001 manifests, more than 10000'));
  assert.equal(mapped.status, 406);
  assert.deepEqual(mapped.body, { error: { message: 'The scan reads 10001 manifests, more than 10000', type: 'UnsupportedOperationException', code: 406 } });
});

test('an unreadable table file is a 5XX (the spec lists 5XX), naming the file but no cause', () => {
  const mapped = mapErrorFor('planTableScan', new UnreadableScanFileError('manifest', 's3://b/t/metadata/m.avro', 'missing', { cause: new Error('secret detail') }));
  assert.equal(mapped.status, 500);
  assert.equal(mapped.body.error.type, 'RuntimeIOException');
  assert.ok(mapped.body.error.message.includes('m.avro') && !mapped.body.error.message.includes('secret'));
});
