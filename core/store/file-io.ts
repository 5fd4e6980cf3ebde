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
}
