/**
 * Partition and sort transforms: which strings are well formed, and which source types each one
 * accepts. Unknown transform names are accepted (as Java's UnknownTransform is) so that metadata
 * written by newer engines still loads and commits.
 */
import { isPrimitive, primitiveBaseName } from './primitive-types.js';
import type { IcebergType } from './types.js';

export type Transform =
  | { readonly kind: 'identity' | 'void' | 'year' | 'month' | 'day' | 'hour' }
  | { readonly kind: 'bucket'; readonly count: number }
  | { readonly kind: 'truncate'; readonly width: number }
  | { readonly kind: 'unknown'; readonly name: string };

export type TransformParse = { ok: true; transform: Transform } | { ok: false; problem: string };

const WITH_ARGUMENT = /^(\w+)\[(\d+)\]$/;
const MAX_INT = 2 ** 31 - 1;

export function parseTransform(text: string): TransformParse {
  const withArgument = WITH_ARGUMENT.exec(text);
  if (withArgument) {
    const name = (withArgument[1] ?? '').toLowerCase();
    const argument = Number(withArgument[2]);
    if (name === 'bucket' || name === 'truncate') {
      if (!Number.isSafeInteger(argument) || argument < 1 || argument > MAX_INT) {
        const what = name === 'bucket' ? 'number of buckets' : 'truncate width';
        return { ok: false, problem: `invalid transform "${text}": ${what} must be > 0` };
      }
      return { ok: true, transform: name === 'bucket' ? { kind: 'bucket', count: argument } : { kind: 'truncate', width: argument } };
    }
  }
  const lower = text.toLowerCase();
  switch (lower) {
    case 'identity':
    case 'void':
    case 'year':
    case 'month':
    case 'day':
    case 'hour':
      return { ok: true, transform: { kind: lower } };
    default:
      if (text.trim() === '') return { ok: false, problem: 'transform must not be empty' };
      return { ok: true, transform: { kind: 'unknown', name: text } };
  }
}

const BUCKET_TYPES: ReadonlySet<string> = new Set([
  'int', 'long', 'decimal', 'date', 'time', 'timestamp', 'timestamptz', 'timestamp_ns', 'timestamptz_ns',
  'string', 'uuid', 'fixed', 'binary',
]);
const TRUNCATE_TYPES: ReadonlySet<string> = new Set(['int', 'long', 'decimal', 'string', 'binary']);
const DATE_TIME_TYPES: ReadonlySet<string> = new Set(['date', 'timestamp', 'timestamptz', 'timestamp_ns', 'timestamptz_ns']);
const HOUR_TYPES: ReadonlySet<string> = new Set(['timestamp', 'timestamptz', 'timestamp_ns', 'timestamptz_ns']);

export function canTransform(transform: Transform, sourceType: IcebergType): boolean {
  if (transform.kind === 'void' || transform.kind === 'unknown') return true;
  if (!isPrimitive(sourceType)) return false;
  const base = primitiveBaseName(sourceType);
  switch (transform.kind) {
    case 'identity':
      return base !== 'variant';
    case 'bucket':
      return BUCKET_TYPES.has(base);
    case 'truncate':
      return TRUNCATE_TYPES.has(base);
    case 'year':
    case 'month':
    case 'day':
      return DATE_TIME_TYPES.has(base);
    case 'hour':
      return HOUR_TYPES.has(base);
  }
}

/** The canonical spelling stored in metadata, so that equal transforms compare equal as strings. */
export function transformToString(transform: Transform): string {
  switch (transform.kind) {
    case 'bucket':
      return `bucket[${transform.count}]`;
    case 'truncate':
      return `truncate[${transform.width}]`;
    case 'unknown':
      return transform.name;
    default:
      return transform.kind;
  }
}
