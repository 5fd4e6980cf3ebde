import { UnsupportedLocationError, type FileIO, type FileListOptions, type FileListPage } from '../../store/file-io.js';
import { isInside, parseLocation, type CanonicalLocation } from './canonical-location.js';
import { LocationOutsideError, type LocationConfinement } from './confinement.js';

/**
 * The FileIO every catalog path uses: each read, write, delete and listing is canonicalised and
 * refused (400) unless it lies inside a configured warehouse, and the adapter is handed the
 * canonical URI, so the check and the I/O can never disagree about which file is meant.
 */
export class ConfinedFileIO implements FileIO {
  constructor(
    private readonly inner: FileIO,
    private readonly confinement: LocationConfinement,
  ) {}

  private allowed(location: string): string {
    return this.confinement.requireInWarehouses(location, 'file location').uri;
  }

  read(location: string): Promise<Uint8Array | undefined> {
    return this.inner.read(this.allowed(location));
  }

  create(location: string, bytes: Uint8Array): Promise<'created' | 'exists'> {
    return this.inner.create(this.allowed(location), bytes);
  }

  delete(location: string): Promise<void> {
    return this.inner.delete(this.allowed(location));
  }

  /** Listed locations come back in the inner adapter's (canonical) form. */
  list(prefix: string): Promise<string[]> {
    // A trailing `/` means "inside this folder" to the adapters; canonical forms drop it.
    return this.inner.list(this.allowed(prefix) + (prefix.endsWith('/') ? '/' : ''));
  }

  /** As list(), one page at a time; the cursor is confined too, so it cannot steer the adapter elsewhere. */
  async listPage(prefix: string, options: FileListOptions): Promise<FileListPage> {
    if (this.inner.listPage === undefined) throw new UnsupportedLocationError('This file IO has no paged listing with file ages');
    const startAfter = options.startAfter === undefined ? {} : { startAfter: this.allowed(options.startAfter) };
    return this.inner.listPage(this.allowed(prefix) + (prefix.endsWith('/') ? '/' : ''), { maxFiles: options.maxFiles, ...startAfter });
  }
}

/**
 * Deletes only inside `roots` (a dropped object's own locations): anything else is refused and
 * recorded, never removed. The only way purges delete, so no purge path can skip the check.
 */
export class ScopedDeleter {
  private readonly skipped = new Set<string>();

  constructor(
    private readonly files: FileIO,
    private readonly roots: readonly CanonicalLocation[],
  ) {}

  /** Whether `location` lies inside one of the roots (after canonicalisation; malformed is outside). */
  within(location: string): boolean {
    let canonical: CanonicalLocation;
    try {
      canonical = parseLocation(location);
    } catch {
      return false;
    }
    return this.roots.some((root) => isInside(canonical, root));
  }

  /** True when deleted (or already gone); false when refused as outside the roots. */
  async delete(location: string): Promise<boolean> {
    if (!this.within(location)) {
      this.skipped.add(location);
      return false;
    }
    try {
      await this.files.delete(location);
    } catch (error) {
      // Inside the object's roots but outside every warehouse: refused by ConfinedFileIO, reported.
      if (!(error instanceof LocationOutsideError)) throw error;
      this.skipped.add(location);
      return false;
    }
    return true;
  }

  /** Every location refused so far, for the purge report and the log. */
  refused(): string[] {
    return [...this.skipped];
  }
}
