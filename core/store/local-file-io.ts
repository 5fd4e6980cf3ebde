import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FileIO } from './file-io.js';

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** `file://` locations: real files engines on the same machine read directly. */
export class LocalFileIO implements FileIO {
  async read(location: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(fileURLToPath(location));
    } catch (error) {
      if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return undefined;
      throw error;
    }
  }

  /** Written to a temporary name and linked into place: a crash never leaves a half file under the real name. */
  async create(location: string, bytes: Uint8Array): Promise<'created' | 'exists'> {
    const path = fileURLToPath(location);
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
      await unlink(fileURLToPath(location));
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const path = fileURLToPath(prefix);
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
}
