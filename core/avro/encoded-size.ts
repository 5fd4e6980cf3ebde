/**
 * The fewest bytes one value of a schema can occupy. A block that claims N items must hold at least
 * N times this many bytes, which bounds every count a file declares by the file's real size.
 */
import type { AvroSchema } from './schema.js';

const cache = new WeakMap<AvroSchema, number>();

export function minEncodedSize(schema: AvroSchema): number {
  return measure(schema, new Set());
}

function measure(schema: AvroSchema, inProgress: Set<AvroSchema>): number {
  const cached = cache.get(schema);
  if (cached !== undefined) return cached;
  // A recursive reference counts as zero: an under-estimate keeps the bound sound.
  if (inProgress.has(schema)) return 0;
  inProgress.add(schema);
  const size = compute(schema, inProgress);
  inProgress.delete(schema);
  cache.set(schema, size);
  return size;
}

function compute(schema: AvroSchema, inProgress: Set<AvroSchema>): number {
  switch (schema.type) {
    case 'null':
      return 0;
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'fixed':
      return schema.size;
    case 'record':
      return schema.fields.reduce((sum, field) => sum + measure(field.type, inProgress), 0);
    case 'union':
      // The branch index alone is a varint of at least one byte.
      return 1 + Math.min(...schema.branches.map((branch) => measure(branch, inProgress)), Number.MAX_SAFE_INTEGER);
    default:
      // boolean, int, long, bytes, string, enum: at least one byte; arrays and maps: the closing 0 count.
      return 1;
  }
}
