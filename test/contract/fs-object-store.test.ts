import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { FsObjectStore } from '../../core/store/fs-object-store.js';
import { describeObjectStore } from './object-store.contract.js';

let root = '';

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'fs-object-store-contract-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

// A folder of its own per store: each test starts empty. Created lazily by the first write.
describeObjectStore('FsObjectStore', async () => new FsObjectStore(join(root, randomUUID())));
