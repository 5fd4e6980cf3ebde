/**
 * Files in a table's location (metadata JSON, manifests, data), addressed by URI as engines see them:
 * `s3://bucket/key` or `file:///path`. Unlike catalog records these are plain files engines read
 * directly, so they are stored under their exact names, unencrypted.
 */
export interface FileIO {
  read(location: string): Promise<Uint8Array | undefined>;
  /** Writes a file that must not exist yet (`If-None-Match: *`): metadata files are immutable. */
  create(location: string, bytes: Uint8Array): Promise<'created' | 'exists'>;
  /** Deleting a missing file succeeds. */
  delete(location: string): Promise<void>;
  /** Every file whose location starts with `prefix` (for tests and maintenance, never on a request path). */
  list(prefix: string): Promise<string[]>;
  /**
   * One page of the files under `prefix`, in location order, with their last-modified times: for
   * maintenance (orphan file removal), which must resume where it stopped and judge files by age.
   * Optional: an adapter that cannot tell a file's age leaves it out, and such a run refuses.
   */
  listPage?(prefix: string, options: FileListOptions): Promise<FileListPage>;
}

export interface FileListOptions {
  /** Only files strictly after this location (a cursor: the last location of the previous page). */
  readonly startAfter?: string;
  /** At most this many files (S3 caps a page at 1000). */
  readonly maxFiles: number;
}

export interface ListedFile {
  readonly location: string;
  /**
   * When the file was last written, by the storage's clock (S3 LastModified; local files: the later
   * of mtime and ctime, since mtime can be set back by whoever writes the file and ctime cannot).
   */
  readonly lastModifiedMs: number;
  readonly size: number;
}

export interface FileListPage {
  readonly files: readonly ListedFile[];
  /** More files follow the last one listed. */
  readonly truncated: boolean;
}

export class UnsupportedLocationError extends Error {}

export function schemeOf(location: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location);
  return match === null ? '' : match[1]!.toLowerCase();
}

/** Routes each location to the FileIO for its scheme. */
export class SchemeFileIO implements FileIO {
  constructor(private readonly byScheme: Readonly<Record<string, FileIO>>) {}

  private target(location: string): FileIO {
    const io = this.byScheme[schemeOf(location)];
    if (io === undefined) throw new UnsupportedLocationError(`No file IO for location ${location}`);
    return io;
  }

  read(location: string): Promise<Uint8Array | undefined> {
    return this.target(location).read(location);
  }

  create(location: string, bytes: Uint8Array): Promise<'created' | 'exists'> {
    return this.target(location).create(location, bytes);
  }

  delete(location: string): Promise<void> {
    return this.target(location).delete(location);
  }

  list(prefix: string): Promise<string[]> {
    return this.target(prefix).list(prefix);
  }

  listPage(prefix: string, options: FileListOptions): Promise<FileListPage> {
    const target = this.target(prefix);
    if (target.listPage === undefined) throw new UnsupportedLocationError(`No paged listing with file ages for location ${prefix.slice(0, 200)}`);
    return target.listPage(prefix, options);
  }
}
