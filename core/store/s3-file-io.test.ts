import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceUnavailableError } from '../errors.js';
import { MemoryObjectStore } from './memory-object-store.js';
import type { WriteResult } from './object-store.js';
import { S3FileIO } from './s3-file-io.js';

/** A store whose create-if-absent answers as the S3 adapter does when no attempt got an answer. */
class DoubtfulStore extends MemoryObjectStore {
  constructor(private readonly answer: WriteResult) {
    super();
  }
  override async putIfAbsent(): Promise<WriteResult> {
    return this.answer;
  }
}

test('a metadata file write whose outcome is in doubt is a 503, not "exists" (code review 4)', async () => {
  for (const reason of ['unknown', 'moved'] as const) {
    const files = new S3FileIO(async () => new DoubtfulStore({ ok: false, reason }), ['wh']);
    await assert.rejects(files.create('s3://wh/t/metadata/00001-x.metadata.json', new Uint8Array([1])), ServiceUnavailableError);
  }
});

test('a refused create of a file that exists is "exists"', async () => {
  const files = new S3FileIO(async () => new DoubtfulStore({ ok: false, reason: 'precondition-failed' }), ['wh']);
  assert.equal(await files.create('s3://wh/t/metadata/00001-x.metadata.json', new Uint8Array([1])), 'exists');
});
