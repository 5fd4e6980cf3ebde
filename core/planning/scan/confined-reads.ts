/**
 * Reads of the Avro files a scan plan walks, confined as maintenance's walk is (snapshot-files.ts):
 * a location outside the table's own locations is refused before any I/O, the FileIO is the
 * catalog's confined one, and a file that is missing or does not parse becomes an
 * UnreadableScanFileError. A storage failure (anything else the FileIO throws) propagates as is.
 */
import type { CatalogContext } from '../../catalog/context.js';
import { InvalidLocationError, isInside, parseLocation } from '../../catalog/locations/canonical-location.js';
import { confinementOf, LocationOutsideError } from '../../catalog/locations/confinement.js';
import { confinedRoots, tableOwnLocations } from '../../catalog/locations/object-locations.js';
import type { TableMetadata } from '../../metadata/types.js';
import type { FileIO } from '../../store/file-io.js';
import { UnreadableScanFileError } from './scan-errors.js';

export interface ConfinedReader {
  readonly files: FileIO;
  /** Whether the plan may read `location` (the table's own locations). */
  readonly within: (location: string) => boolean;
}

/** Reads through the catalog's FileIO, inside the table's own locations (resolved once). */
export function tableReader(ctx: Pick<CatalogContext, 'files' | 'config'>, metadata: TableMetadata): ConfinedReader {
  const roots = confinedRoots(confinementOf(ctx.config), tableOwnLocations(metadata));
  const within = (location: string): boolean => {
    try {
      const canonical = parseLocation(location);
      return roots.some((root) => isInside(canonical, root));
    } catch {
      return false;
    }
  };
  return { files: ctx.files, within };
}

export async function readConfined<T>(
  reader: ConfinedReader,
  kind: UnreadableScanFileError['kind'],
  location: string,
  parse: (bytes: Uint8Array) => T,
): Promise<T> {
  if (!reader.within(location)) throw new UnreadableScanFileError(kind, location, 'outside');
  let bytes: Uint8Array | undefined;
  try {
    bytes = await reader.files.read(location);
  } catch (error) {
    if (error instanceof LocationOutsideError || error instanceof InvalidLocationError) throw new UnreadableScanFileError(kind, location, 'outside', { cause: error });
    throw error;
  }
  if (bytes === undefined) throw new UnreadableScanFileError(kind, location, 'missing');
  try {
    return parse(bytes);
  } catch (error) {
    // Not an Avro file Iceberg would write (corrupt, hostile, or another format).
    throw new UnreadableScanFileError(kind, location, 'unreadable', { cause: error });
  }
}
