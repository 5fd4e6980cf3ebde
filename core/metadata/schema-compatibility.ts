/**
 * Which schemas a format version may hold. Problem texts follow Java's `Schema.checkCompatibility`
 * (the RCK matches "variant is not supported until v3").
 */
import { BadRequestError } from '../errors.js';
import { stringifyJson } from '../json/lossless-json.js';
import { minFormatVersionFor } from './primitive-types.js';
import { indexSchemaFields } from './schema-index.js';
import type { FormatVersion, StructField } from './types.js';

const DEFAULT_VALUES_MIN_FORMAT_VERSION = 3;

export function checkSchemaSupportsFormatVersion(fields: readonly StructField[], formatVersion: FormatVersion): void {
  const problems: string[] = [];
  const entries = [...indexSchemaFields(fields).byId.values()].sort((left, right) => left.id - right.id);
  for (const field of entries) {
    if (typeof field.type === 'string') {
      const minimum = minFormatVersionFor(field.type);
      if (formatVersion < minimum) {
        problems.push(`Invalid type for ${field.name}: ${field.type} is not supported until v${minimum}`);
      }
    }
    if (field.initialDefault !== undefined && formatVersion < DEFAULT_VALUES_MIN_FORMAT_VERSION) {
      problems.push(
        `Invalid initial default for ${field.name}: non-null default (${stringifyJson(field.initialDefault)}) is not supported until v${DEFAULT_VALUES_MIN_FORMAT_VERSION}`,
      );
    }
  }
  if (problems.length > 0) {
    // Java separates problems with "\n- "; one line reads better in a JSON error body and keeps the
    // text the project's briefs quote ("Invalid schema for v2: - Invalid type for c: ...").
    throw new BadRequestError(`Invalid schema for v${formatVersion}: - ${problems.join(' - ')}`);
  }
}
