import { BadRequestError } from '../errors.js';
import type { Namespace } from '../catalog/namespace.js';
import { validateNamespace } from '../catalog/namespace.js';

/**
 * Turns path and query text into namespace levels. Clients form-encode each level (space as `+`,
 * `/` as `%2F`) and join levels with the separator `%1F` (or the one the server advertised); the
 * levels are split on the raw text first and each level is decoded exactly once, so `%252F` stays
 * the four characters `%2F`.
 */
export interface PathDecoding {
  /** See CatalogConfig.pathEncoding. */
  readonly encoding: 'raw' | 'decoded';
  /** Url-encoded extra separator, e.g. `%2E`. */
  readonly separator?: string;
}

const UNIT_SEPARATOR = '\u001f';

export function formDecode(text: string, what: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new BadRequestError(`Malformed percent-encoding in ${what}`);
  }
}

function splitRaw(raw: string, separator: string | undefined): string[] {
  if (/%1f/i.test(raw)) return raw.split(/%1f/i);
  if (separator !== undefined && separator !== '%1F' && raw.includes(separator)) return raw.split(separator);
  return [raw];
}

/** A `{namespace}` path parameter. */
export function namespaceFromPath(param: string, decoding: PathDecoding): Namespace {
  const levels =
    decoding.encoding === 'raw'
      ? splitRaw(param, decoding.separator).map((level) => formDecode(level, 'namespace'))
      : param.split(decodedSeparators(decoding.separator));
  return validateNamespace(levels);
}

/** A `{table}`/`{view}` path parameter. */
export function nameFromPath(param: string, decoding: PathDecoding, what: string): string {
  return decoding.encoding === 'raw' ? formDecode(param, what) : param;
}

function decodedSeparators(separator: string | undefined): RegExp | string {
  if (separator === undefined) return UNIT_SEPARATOR;
  const decoded = formDecode(separator, 'separator');
  const escaped = decoded.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${UNIT_SEPARATOR}|${escaped}`);
}

/**
 * The `parent` query parameter, already form-decoded with the rest of the query string: levels are
 * joined by the 0x1F character itself (or the decoded advertised separator). Empty means absent.
 */
export function namespaceFromQuery(value: string | undefined, decoding: PathDecoding): Namespace | undefined {
  if (value === undefined || value === '') return undefined;
  return validateNamespace(value.split(decodedSeparators(decoding.separator)));
}
