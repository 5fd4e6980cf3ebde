import { isUtf8 } from 'node:buffer';
import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { KeyedMutex } from './keyed-mutex.js';
import { normaliseEtag, type DeleteOptions, type ListedObject, type ListOptions, type ListPage, type ObjectStore, type StoredObject, type WriteResult } from './object-store.js';
import { mapLimit } from '../map-limit.js';
import { paginate } from './paginate.js';
import { isErrno } from '../errno.js';

const OBJECT_SUFFIX = '.obj';
/** Escaped names never start with `.`, so no temporary file can be mistaken for an object or a folder. */
const TEMP_PREFIX = '.tmp-';
/** Bounds open file handles while a listing reads up to 1000 objects for their ETags. */
const LIST_READ_CONCURRENCY = 32;

/**
 * The embedded store: the semantics of S3 conditional writes on a local folder.
 * - Atomic within the process: writes to one key are serialised by a per-key mutex, so a
 *   compare-and-swap reads and replaces without interleaving. Across processes only
 *   create-if-absent is atomic (see below); two servers must not share one folder.
 * - Crash-safe: content goes to a temporary file in the target folder (fsync), which is renamed
 *   into place, so a reader sees the old or the new content and never a torn one. Create-if-absent
 *   links the temporary file into place instead: `link()` fails if the name exists, even when
 *   another process created it. A crash leaves at most a temporary file, which nothing reads.
 * - Keys map to paths segment by segment, escaped so only [A-Za-z0-9_=%-] appear; each object is
 *   a file `<segment>.obj`, and folders never contain a `.`, so `a/b` and `a/b/c` coexist and
 *   no key (`..`, `.`, empty segments) can climb out of the root.
 */
export class FsObjectStore implements ObjectStore {
  readonly capabilities = { conditionalDelete: true };
  private readonly locks = new KeyedMutex();
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const body = await readIfExists(this.pathOf(key));
    return body === undefined ? undefined : { body, etag: md5Hex(body) };
  }

  putIfAbsent(key: string, body: Uint8Array): Promise<WriteResult> {
    return this.locks.run(key, async () => {
      const path = this.pathOf(key);
      // Saves writing a temporary file for the common refusal; link() below stays the authority.
      if (await exists(path)) return { ok: false, reason: 'precondition-failed' };
      const temp = await this.writeTemp(path, body);
      try {
        await link(temp, path);
      } catch (error) {
        if (isErrno(error, 'EEXIST')) return { ok: false, reason: 'precondition-failed' };
        throw error;
      } finally {
        await unlink(temp).catch(() => undefined);
      }
      await syncDirectory(dirname(path));
      return { ok: true, etag: md5Hex(body) };
    });
  }

  putIfMatch(key: string, body: Uint8Array, etag: string): Promise<WriteResult> {
    return this.locks.run(key, async () => {
      const path = this.pathOf(key);
      const current = await readIfExists(path);
      if (current === undefined || md5Hex(current) !== normaliseEtag(etag)) return { ok: false, reason: 'precondition-failed' };
      await this.replace(path, body);
      return { ok: true, etag: md5Hex(body) };
    });
  }

  put(key: string, body: Uint8Array): Promise<{ etag: string }> {
    return this.locks.run(key, async () => {
      await this.replace(this.pathOf(key), body);
      return { etag: md5Hex(body) };
    });
  }

  delete(key: string, options: DeleteOptions = {}): Promise<{ deleted: boolean }> {
    return this.locks.run(key, async () => {
      const path = this.pathOf(key);
      if (options.ifMatch !== undefined) {
        const current = await readIfExists(path);
        if (current !== undefined && md5Hex(current) !== normaliseEtag(options.ifMatch)) return { deleted: false };
      }
      try {
        await unlink(path);
      } catch (error) {
        if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return { deleted: true };
        throw error;
      }
      await syncDirectory(dirname(path));
      return { deleted: true };
    });
  }

  async list(options: ListOptions): Promise<ListPage> {
    // Only the folder the prefix names completely can hold matching keys.
    const slash = options.prefix.lastIndexOf('/');
    const folderKey = slash < 0 ? undefined : options.prefix.slice(0, slash);
    const folder = folderKey === undefined ? this.root : join(this.root, ...folderKey.split('/').map(escapeSegment));
    const keys: string[] = [];
    await walk(folder, folderKey, options.prefix, keys);
    keys.sort();
    const page = paginate(keys, options);
    const objects = await mapLimit(page.objects, LIST_READ_CONCURRENCY, async (key): Promise<ListedObject | undefined> => {
      const path = this.pathOf(key);
      const [body, info] = await Promise.all([readIfExists(path), stat(path).catch(() => undefined)]);
      // Deleted since the walk: S3 would not list it either had the listing started a moment later.
      if (body === undefined) return undefined;
      return { key, etag: md5Hex(body), size: body.byteLength, ...(info !== undefined ? { lastModifiedMs: info.mtimeMs } : {}) };
    });
    return { ...page, objects: objects.filter((o): o is ListedObject => o !== undefined) };
  }

  private pathOf(key: string): string {
    const segments = key.split('/').map(escapeSegment);
    const last = segments.pop()!;
    return join(this.root, ...segments, `${last}${OBJECT_SUFFIX}`);
  }

  private async replace(path: string, body: Uint8Array): Promise<void> {
    const temp = await this.writeTemp(path, body);
    try {
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dirname(path));
  }

  /** A fully written and fsynced file beside `path`, ready to be renamed or linked into place. */
  private async writeTemp(path: string, body: Uint8Array): Promise<string> {
    await this.ensureFolder(dirname(path));
    const temp = join(dirname(path), `${TEMP_PREFIX}${randomUUID()}`);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(body);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await handle.close();
    return temp;
  }

  /** Creates missing folders and makes their names durable, so a synced object cannot vanish with its folder. */
  private async ensureFolder(folder: string): Promise<void> {
    const firstCreated = await mkdir(folder, { recursive: true });
    if (firstCreated === undefined) return;
    for (let dir = folder; dir !== dirname(firstCreated); dir = dirname(dir)) await syncDirectory(dirname(dir));
  }
}

/** Collects the keys below `folder` (whose key is `folderKey`, undefined for the root) that start with `prefix`. */
async function walk(folder: string, folderKey: string | undefined, prefix: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return;
    throw error;
  }
  const keyOf = (segment: string) => (folderKey === undefined ? segment : `${folderKey}/${segment}`);
  for (const entry of entries) {
    if (entry.isDirectory()) {
      const segment = unescapeSegment(entry.name);
      if (segment === undefined) continue;
      const childKey = keyOf(segment);
      // Descend only where keys below could still start with the prefix.
      if (prefix.startsWith(`${childKey}/`) || `${childKey}/`.startsWith(prefix)) await walk(join(folder, entry.name), childKey, prefix, out);
    } else if (entry.isFile() && entry.name.endsWith(OBJECT_SUFFIX)) {
      const segment = unescapeSegment(entry.name.slice(0, -OBJECT_SUFFIX.length));
      if (segment === undefined) continue;
      const key = keyOf(segment);
      if (key.startsWith(prefix)) out.push(key);
    }
  }
}

function md5Hex(body: Uint8Array): string {
  return createHash('md5').update(body).digest('hex');
}

const PLAIN_BYTE = /^[A-Za-z0-9_=-]$/;
/** `%` alone cannot be an escape (those are `%XX`), so it names the empty segment. */
const EMPTY_SEGMENT = '%';

/** Escapes every UTF-8 byte outside [A-Za-z0-9_=-] as %XX; the result never contains a `.`. */
export function escapeSegment(segment: string): string {
  if (segment === '') return EMPTY_SEGMENT;
  let out = '';
  for (const byte of Buffer.from(segment, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += PLAIN_BYTE.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The segment a file or folder name stands for; undefined for names this store did not write. */
export function unescapeSegment(name: string): string | undefined {
  if (name === EMPTY_SEGMENT) return '';
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    if (name[i] === '%') {
      const hex = name.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(name.charCodeAt(i));
    }
  }
  const encoded = Uint8Array.from(bytes);
  // Checked before decoding rather than by catching a fatal decoder (see functions/lib/api-gateway.ts).
  if (!isUtf8(encoded)) return undefined;
  const segment = new TextDecoder().decode(encoded);
  // Only the canonical spelling counts, so one key never appears under two names.
  return escapeSegment(segment) === name ? segment : undefined;
}

async function readIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return undefined;
    throw error;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return false;
    throw error;
  }
}

/** Makes a rename, link or unlink in `folder` durable. Some platforms cannot open or fsync a folder. */
async function syncDirectory(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EACCES'].some((code) => isErrno(error, code))) throw error;
  } finally {
    await handle?.close();
  }
}
