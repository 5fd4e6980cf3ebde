import { metadataFolder, type TableMetadata } from '../../metadata/index.js';
import { viewMetadataFolder } from '../../metadata/views/metadata-location.js';
import type { ViewMetadata } from '../../metadata/views/types.js';
import type { Namespace } from '../namespace.js';
import { isInside, parseLocation, type CanonicalLocation } from './canonical-location.js';
import { LocationOutsideError, type LocationConfinement } from './confinement.js';

/** Table properties that name folders engines write into (Java TableProperties; the last two are deprecated aliases). */
export const DATA_PATH_PROPERTIES = ['write.data.path', 'write.folder-storage.path', 'write.object-storage.path'] as const;

/**
 * The folders a table owns: its location, its metadata folder (`write.metadata.path`, relative
 * values resolved) and its data folders. What a purge may delete, and where the catalog accepts
 * client-named files (statistics, manifest lists) at commit time.
 */
export function tableOwnLocations(metadata: TableMetadata): string[] {
  const out = [metadata.location, metadataFolder(metadata)];
  for (const property of DATA_PATH_PROPERTIES) {
    const value = Object.hasOwn(metadata.properties, property) ? metadata.properties[property]?.trim() : undefined;
    if (value !== undefined && value !== '') out.push(value);
  }
  return out;
}

export function viewOwnLocations(metadata: ViewMetadata): string[] {
  return [metadata.location, viewMetadataFolder(metadata)];
}

/** The canonical forms of `locations` that are well-formed and inside a warehouse; the rest are dropped. */
export function confinedRoots(confinement: LocationConfinement, locations: readonly string[]): CanonicalLocation[] {
  const roots: CanonicalLocation[] = [];
  for (const location of locations) {
    try {
      const canonical = parseLocation(location);
      if (confinement.permits(canonical)) roots.push(canonical);
    } catch {
      // A malformed root confines nothing: files under it are reported, never deleted.
    }
  }
  return roots;
}

/**
 * The commit-time half of invariant 9 for tables, on the metadata a create or commit is about to
 * write (`base` undefined for a new table):
 * - every location the table is given anew (location, metadata and data folders) lies inside
 *   its namespace's subtree; unchanged ones are kept (a table renamed into another namespace
 *   keeps its files where they are);
 * - every statistics file, partition statistics file and manifest list (v1: manifest) that this
 *   commit adds lies inside the table's own locations.
 * Throws 400 (LocationOutsideError, InvalidLocationError) otherwise; nothing has been written.
 */
export function checkTableLocations(confinement: LocationConfinement, warehouse: string, namespace: Namespace, base: TableMetadata | undefined, next: TableMetadata): void {
  const before = new Set(base === undefined ? [] : tableOwnLocations(base));
  const own = tableOwnLocations(next);
  for (const location of own) {
    if (!before.has(location)) confinement.requireInNamespace(warehouse, namespace, location, 'table location');
  }
  const roots = own.map((location) => parseLocation(location));
  const inside = (path: string, what: string): void => {
    const canonical = parseLocation(path, what);
    if (!roots.some((root) => isInside(canonical, root))) {
      throw new LocationOutsideError(`Invalid ${what} '${path.slice(0, 200)}': outside the table's locations`);
    }
  };
  const known = new Set<string>();
  for (const s of base?.statistics ?? []) known.add(s.statisticsPath);
  for (const s of base?.partitionStatistics ?? []) known.add(s.statisticsPath);
  for (const s of next.statistics) if (!known.has(s.statisticsPath)) inside(s.statisticsPath, 'statistics-path');
  for (const s of next.partitionStatistics) if (!known.has(s.statisticsPath)) inside(s.statisticsPath, 'partition statistics-path');
  const oldSnapshots = new Set((base?.snapshots ?? []).map((s) => String(s.snapshotId)));
  for (const snapshot of next.snapshots) {
    if (oldSnapshots.has(String(snapshot.snapshotId))) continue;
    if (snapshot.manifestList !== undefined) inside(snapshot.manifestList, 'manifest-list');
    for (const manifest of snapshot.manifests ?? []) inside(manifest, 'manifest');
  }
}

/** A view's location and metadata folder, when given anew, lie inside its namespace's subtree. */
export function checkViewLocations(confinement: LocationConfinement, warehouse: string, namespace: Namespace, base: ViewMetadata | undefined, next: ViewMetadata): void {
  const before = new Set(base === undefined ? [] : viewOwnLocations(base));
  for (const location of viewOwnLocations(next)) {
    if (!before.has(location)) confinement.requireInNamespace(warehouse, namespace, location, 'view location');
  }
}

/** A namespace's `location` property, when set, lies inside the namespace's own subtree. */
export function checkNamespaceLocation(confinement: LocationConfinement, warehouse: string, namespace: Namespace, properties: Readonly<Record<string, string>>): void {
  const location = Object.hasOwn(properties, 'location') ? properties['location'] : undefined;
  if (location !== undefined && location !== '') confinement.requireInNamespace(warehouse, namespace, location, 'namespace location');
}

/**
 * Whether a file a table's metadata names (an expired metadata-log entry, a rebased list) lies
 * inside the table's own locations and a warehouse: the only files a commit may delete.
 */
export function insideTableLocations(confinement: LocationConfinement, metadata: TableMetadata, location: string): boolean {
  let canonical: CanonicalLocation;
  try {
    canonical = parseLocation(location);
  } catch {
    return false;
  }
  return confinedRoots(confinement, tableOwnLocations(metadata)).some((root) => isInside(canonical, root));
}
