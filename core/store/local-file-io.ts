import { randomUUID } from 'node:crypto';
import type { Dirent, Stats } from 'node:fs';
import { link, lstat, mkdir, open, readdir, readFile, realpath, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FileIO, FileListOptions, FileListPage, ListedFile } from './file-io.js';
import { isErrno } from '../errno.js';

export class OutsideLocalRootsError extends Error {
  override readonly name = 'OutsideLocalRootsError';
}

/**
 * `file://` locations: real files engines on the same machine read directly. Only inside `roots`
 * (the local warehouse folders): the catalog's records and keys live in the same file system, so
 * this adapter refuses to leave its folders even if a caller forgot to confine a path first.
 * Paths are normalised (`..`, `//`) before the check, and a file is read, written or deleted only
 * when the deepest part of its path that exists, symlinks resolved, is inside a root too: a
 * symlink in a warehouse folder does not lead the catalog out of it.
 */
export class LocalFileIO implements FileIO {
  private readonly roots: readonly string[];

  constructor(roots: readonly string[]) {
    this.roots = roots.map((root) => resolve(root));
  }

  private path(location: string): string {
    const path = resolve(fileURLToPath(location));
    if (!within(path, this.roots)) throw new OutsideLocalRootsError(`Local file outside the warehouse folders: ${location.slice(0, 200)}`);
    return path;
  }

  /** As path(), and the path with its existing part's symlinks resolved stays inside a resolved root. */
  private async realPath(location: string): Promise<string> {
    const path = this.path(location);
    const roots = await Promise.all(this.roots.map(resolveExisting));
    if (!within(await resolveExisting(path), roots)) {
      throw new OutsideLocalRootsError(`Local file outside the warehouse folders (through a symlink): ${location.slice(0, 200)}`);
    }
    return path;
  }

  async read(location: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(await this.realPath(location));
    } catch (error) {
      // A folder (EISDIR) is no file either: a client naming one gets "missing", not a 500.
      if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR') || isErrno(error, 'EISDIR')) return undefined;
      throw error;
    }
  }

  /** Written to a temporary name and linked into place: a crash never leaves a half file under the real name. */
  async create(location: string, bytes: Uint8Array): Promise<'created' | 'exists'> {
    const path = await this.realPath(location);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, path);
      return 'created';
    } catch (error) {
      if (isErrno(error, 'EEXIST')) return 'exists';
      throw error;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async delete(location: string): Promise<void> {
    try {
      await unlink(await this.realPath(location));
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const path = this.path(prefix);
    const folder = prefix.endsWith('/') ? path : dirname(path);
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { recursive: true, withFileTypes: true });
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    }
    // Files only, as an object store lists them: the folders that hold them are not files.
    return entries
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.tmp'))
      .map((entry) => pathToFileURL(join(entry.parentPath, entry.name)).href)
      .filter((location) => location.startsWith(prefix));
  }

  /**
   * Walks the whole folder for each page (a local warehouse is small next to an S3 one) and sorts
   * by location, so the cursor means the same as an S3 StartAfter. Symlinks are not files here
   * (list() already skips them), so nothing reached through one is ever listed for deletion.
   */
  async listPage(prefix: string, options: FileListOptions): Promise<FileListPage> {
    const after = options.startAfter;
    const all = (await this.list(prefix)).filter((location) => after === undefined || location > after).sort();
    const chosen = all.slice(0, Math.max(1, options.maxFiles));
    const files: ListedFile[] = [];
    for (const location of chosen) {
      let stats: Stats;
      try {
        stats = await lstat(await this.realPath(location));
      } catch (error) {
        if (isErrno(error, 'ENOENT')) continue; // deleted since the walk
        throw error;
      }
      if (!stats.isFile()) continue;
      files.push({ location, lastModifiedMs: Math.max(stats.mtimeMs, stats.ctimeMs), size: stats.size });
    }
    return { files, truncated: all.length > chosen.length };
  }
}

function within(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep));
}

/** The deepest existing ancestor of `path` with symlinks resolved, followed by the part that does not exist yet. */
async function resolveExisting(path: string): Promise<string> {
  let rest = '';
  for (let probe = path; ; probe = dirname(probe)) {
    try {
      return join(await realpath(probe), rest);
    } catch (error) {
      if (!(isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) || dirname(probe) === probe) throw error;
      rest = rest === '' ? basename(probe) : join(basename(probe), rest);
    }
  }
}
