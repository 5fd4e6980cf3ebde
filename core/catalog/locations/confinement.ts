import { pathToFileURL } from 'node:url';
import type { WarehouseConfig } from '../../config.js';
import { BadRequestError, ConfigurationError, NoSuchWarehouseError } from '../../errors.js';
import type { Namespace } from '../namespace.js';
import { isInside, locationSegment, overlaps, parseLocation, type CanonicalLocation } from './canonical-location.js';

/** A location outside what the catalog may touch: the client named it, so 400, never 500. */
export class LocationOutsideError extends BadRequestError {}

/**
 * Where the catalog's own state lives, as locations a client path could otherwise name: the
 * record folders (fs: `<dataDir>/<prefix>/wh`, `…/sys`; S3: `s3://<bucket>/<prefix>/`), and the
 * key files (master keyring, bootstrap admin key).
 */
export interface CatalogOwnAreas {
  readonly records: readonly CanonicalLocation[];
  readonly keyFiles: readonly CanonicalLocation[];
}

/** What the confinement needs from the configuration (the purge worker has no record settings). */
export interface ConfinementConfig {
  readonly warehouses: readonly WarehouseConfig[];
  readonly ownAreas?: CatalogOwnAreas;
}

/**
 * The one place every location check goes through ("the catalog touches only what it owns",
 * invariant 9). Three nested bounds:
 * - a configured warehouse: everything the catalog reads, writes or deletes (ConfinedFileIO);
 * - a namespace's subtree `<warehouse>/<escaped levels>/`: every location an object is given
 *   (table, view, `write.metadata.path`, `write.data.path`, a registered metadata file and the
 *   location inside it, a namespace's `location` property), so no object can be given another
 *   namespace's files (registering a copy of someone else's table, relocating onto it);
 * - the dropped object's own locations: what a purge may delete (purge-table.ts).
 * The catalog's records and keys never lie inside a warehouse: checked when the configuration is
 * built (assertApart), so the first bound keeps them out of every client path.
 */
export class LocationConfinement {
  private readonly roots: ReadonlyMap<string, CanonicalLocation>;

  constructor(config: ConfinementConfig) {
    const roots = new Map<string, CanonicalLocation>();
    for (const warehouse of config.warehouses) {
      let root: CanonicalLocation;
      try {
        root = parseLocation(warehouse.location, `warehouse location of '${warehouse.name}'`);
      } catch (error) {
        throw new ConfigurationError(`CATALOG_WAREHOUSES: ${(error as Error).message}`);
      }
      roots.set(warehouse.name, root);
    }
    this.roots = roots;
    if (config.ownAreas !== undefined) assertApart([...roots.entries()], config.ownAreas);
  }

  warehouseRoots(): CanonicalLocation[] {
    return [...this.roots.values()];
  }

  /** Whether the catalog may touch `location` at all (inside a configured warehouse). */
  permits(location: string | CanonicalLocation): boolean {
    let canonical: CanonicalLocation;
    try {
      canonical = typeof location === 'string' ? parseLocation(location) : location;
    } catch {
      return false;
    }
    return this.warehouseRoots().some((root) => isInside(canonical, root));
  }

  /** The canonical form of `location`, or 400 when it is malformed or outside every warehouse. */
  requireInWarehouses(location: string, what = 'location'): CanonicalLocation {
    const canonical = parseLocation(location, what);
    if (!this.warehouseRoots().some((root) => isInside(canonical, root))) {
      throw new LocationOutsideError(`Invalid ${what} '${location.slice(0, 200)}': outside the catalog's warehouses`);
    }
    return canonical;
  }

  /** `<warehouse location>/<escaped level 1>/…/<escaped level n>`: the subtree a namespace's objects live in. */
  namespaceRoot(warehouse: string, namespace: Namespace): CanonicalLocation {
    const root = this.roots.get(warehouse);
    if (root === undefined) throw new NoSuchWarehouseError(`Warehouse does not exist: ${warehouse}`);
    return parseLocation(namespaceLocationText(root.uri, namespace));
  }

  /**
   * 400 unless `location` lies inside the namespace's subtree. A namespace's subtree contains its
   * child namespaces' subtrees (documented in docs/security.md, "Confinement").
   */
  requireInNamespace(warehouse: string, namespace: Namespace, location: string, what = 'location'): CanonicalLocation {
    const canonical = parseLocation(location, what);
    const root = this.namespaceRoot(warehouse, namespace);
    if (!isInside(canonical, root)) {
      throw new LocationOutsideError(`Invalid ${what} '${location.slice(0, 200)}': outside the namespace's location ${root.uri}`);
    }
    return canonical;
  }
}

/** The text form of a namespace subtree under a warehouse URI (escaping as default locations do). */
export function namespaceLocationText(warehouseLocation: string, namespace: Namespace): string {
  return namespace.reduce(appendSegment, warehouseLocation);
}

export function appendSegment(base: string, name: string): string {
  return `${base.replace(/\/+$/, '')}/${locationSegment(name)}`;
}

/**
 * The catalog's records and keys must be unreachable through any warehouse location, and a
 * warehouse must not live inside the record folders (the store would see engine files as records).
 * Two warehouses may not overlap either: a table in one could be given the other's files.
 */
function assertApart(warehouses: readonly (readonly [string, CanonicalLocation])[], own: CatalogOwnAreas): void {
  for (const [name, root] of warehouses) {
    for (const records of own.records) {
      if (overlaps(root, records)) {
        throw new ConfigurationError(
          `warehouse '${name}' (${root.uri}) and the catalog's records (${records.uri}) must not contain one another: a table location could then name a catalog record; ` +
            'move the warehouse (CATALOG_WAREHOUSES) or the records (CATALOG_DATA_DIR / CATALOG_PREFIX)',
        );
      }
    }
    for (const key of own.keyFiles) {
      if (isInside(key, root)) throw new ConfigurationError(`warehouse '${name}' (${root.uri}) contains the key file ${key.uri}: move the key file or the warehouse`);
    }
    if (root.scheme === 's3' && root.segments.length === 0 && own.records.some((r) => r.scheme === 's3' && r.authority === root.authority)) {
      throw new ConfigurationError(`warehouse '${name}' is the whole catalog bucket (${root.uri}): give it a folder, e.g. ${root.uri}warehouse`);
    }
  }
  for (const [a, rootA] of warehouses) {
    for (const [b, rootB] of warehouses) {
      if (a < b && overlaps(rootA, rootB)) throw new ConfigurationError(`warehouses '${a}' and '${b}' must not contain one another`);
    }
  }
}

/** What catalogOwnAreas reads from the configuration. */
export interface OwnAreasConfig {
  readonly store: { readonly kind: 'fs'; readonly dataDir: string } | { readonly kind: 's3'; readonly bucket: string };
  readonly keyPrefix: string;
  readonly keyFiles: readonly string[];
}

/**
 * The record folders: with a key prefix, everything under it; without one, the two top-level
 * folders records use (`wh/`, `sys/`, core/catalog/catalog-keys.ts and core/auth/auth-keys.ts), so a
 * warehouse beside them in the same bucket or data folder (the default layout) stays allowed.
 */
export function catalogOwnAreas(config: OwnAreasConfig): CatalogOwnAreas {
  const base = config.store.kind === 'fs' ? pathToFileURLText(config.store.dataDir) : `s3://${config.store.bucket}`;
  const folders = config.keyPrefix === '' ? ['wh', 'sys'] : [config.keyPrefix];
  return {
    // S3 keys are literal; a file URL's segments are decoded once by parseLocation.
    records: folders.map((folder) => parseLocation(`${base}/${config.store.kind === 'fs' ? folder.split('/').map(encodeURIComponent).join('/') : folder}`, 'record folder')),
    keyFiles: config.keyFiles.map((file) => parseLocation(pathToFileURLText(file), 'key file')),
  };
}

function pathToFileURLText(path: string): string {
  return pathToFileURL(path).href.replace(/\/+$/, '');
}

const memo = new WeakMap<object, LocationConfinement>();

/** The confinement of a loaded configuration, built once per configuration object. */
export function confinementOf(config: ConfinementConfig & object): LocationConfinement {
  let found = memo.get(config);
  if (found === undefined) {
    found = new LocationConfinement({ warehouses: config.warehouses });
    memo.set(config, found);
  }
  return found;
}
