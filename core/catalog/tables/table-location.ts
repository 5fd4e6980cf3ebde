import type { Namespace } from '../namespace.js';
import { MAX_LOCATION_LENGTH as MAX_URI_LENGTH, parseLocation, SUPPORTED_SCHEMES as SCHEMES } from '../locations/canonical-location.js';
import { appendSegment, namespaceLocationText } from '../locations/confinement.js';
import { InvalidLocationError } from '../locations/canonical-location.js';

/** Schemes the catalog can write metadata files to (see core/store/file-io.ts adapters). */
export const SUPPORTED_SCHEMES = SCHEMES;
/** A location a client asks for; metadata file names and engine paths may be longer (MAX_URI_LENGTH). */
const MAX_LOCATION_LENGTH = 2048;

/**
 * `<namespace location>/<table>` when the namespace has a `location` property, else
 * `<warehouse>/<level 1>/…/<level n>/<table>`, as the reference catalogs do. Each name is one
 * escaped segment for every scheme (locations/canonical-location.ts `locationSegment`): distinct
 * identifiers never share a location, and `.`/`..` never climb. Locations can be shared after a
 * rename, so nothing may assume a location belongs to one table.
 */
export function defaultTableLocation(warehouseLocation: string, namespace: Namespace, namespaceProperties: Readonly<Record<string, string>>, table: string): string {
  const namespaceLocation = namespaceProperties['location'];
  if (namespaceLocation !== undefined && namespaceLocation !== '') return appendSegment(validateLocation(namespaceLocation), table);
  return appendSegment(namespaceLocationText(warehouseLocation, namespace), table);
}

/**
 * A requested location must be an absolute URI of a served scheme that needs no resolving (no
 * `.`/`..` segments, also percent-encoded; see canonical-location.ts). Returned as given, without
 * trailing `/`: engines keep their scheme spelling (`s3a://`). Whether it is inside the right
 * warehouse and namespace is LocationConfinement's question.
 */
export function validateLocation(location: string): string {
  if (location.length > MAX_LOCATION_LENGTH) throw new InvalidLocationError(`Invalid location '${location.slice(0, 200)}': longer than ${MAX_LOCATION_LENGTH} characters`);
  parseLocation(location);
  return location.replace(/\/+$/, '');
}

export { MAX_URI_LENGTH };
