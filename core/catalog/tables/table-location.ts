import { BadRequestError } from '../../errors.js';
import type { Namespace } from '../namespace.js';

/** Schemes the catalog can write metadata files to (see core/store/file-io.ts adapters). */
export const SUPPORTED_SCHEMES = ['s3', 's3a', 's3n', 'file'] as const;
const MAX_LOCATION_LENGTH = 2048;

/**
 * A name of `.` or `..` is legal in Iceberg but would climb out of its parent once the location is
 * resolved as a path, so its dots are written as `%2E`. In a `file:` URL a name's `/` and those
 * escapes are escaped once more, because URL parsing folds `%2E%2E` into `..` and fileURLToPath
 * refuses an encoded `/`: the name stays one folder name on disk.
 */
function join(base: string, segment: string): string {
  const dotSafe = segment === '.' || segment === '..' ? segment.replace(/\./g, '%2E') : segment;
  const piece = base.startsWith('file:') ? encodeURIComponent(dotSafe).replace(/%2F/g, '%252F') : dotSafe;
  return `${base.replace(/\/+$/, '')}/${piece}`;
}

/**
 * `<namespace location>/<table>` when the namespace has a `location` property, else
 * `<warehouse>/<level 1>/…/<level n>/<table>`, as the reference catalogs do. Locations can be
 * shared after a rename, so nothing may assume a location belongs to one table.
 */
export function defaultTableLocation(warehouseLocation: string, namespace: Namespace, namespaceProperties: Readonly<Record<string, string>>, table: string): string {
  const namespaceLocation = namespaceProperties['location'];
  if (namespaceLocation !== undefined && namespaceLocation !== '') return join(validateLocation(namespaceLocation), table);
  return join(namespace.reduce(join, warehouseLocation), table);
}

/** A requested location must be an absolute URI the catalog can write to, without `..` steps. */
export function validateLocation(location: string): string {
  const fail = (why: string): never => {
    throw new BadRequestError(`Invalid location '${location.slice(0, 200)}': ${why}`);
  };
  if (location.length > MAX_LOCATION_LENGTH) fail(`longer than ${MAX_LOCATION_LENGTH} characters`);
  if (/[\u0000-\u001f\u007f]/.test(location)) fail('control characters are not allowed');
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(location);
  if (match === null) fail('expected an absolute URI such as s3://bucket/path');
  const scheme = match![1]!.toLowerCase();
  if (!(SUPPORTED_SCHEMES as readonly string[]).includes(scheme)) fail(`unsupported scheme ${scheme}; use one of ${SUPPORTED_SCHEMES.join(', ')}`);
  const path = match![2]!;
  if (scheme !== 'file' && !/^[^/]+\/?/.test(path)) fail('missing bucket');
  // `file://tmp/x` names host "tmp": it is not a local path, and writing to it must not be tried.
  if (scheme === 'file' && !/^(localhost)?\//i.test(path)) fail('a file location needs an absolute local path, such as file:///srv/warehouse');
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) fail('relative path segments are not allowed');
  return location.replace(/\/+$/, '');
}
