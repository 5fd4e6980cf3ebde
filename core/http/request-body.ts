import { BadRequestError } from '../errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../json/lossless-json.js';

/** Small validators for request bodies: each names the field and what was wrong with it. */
export function requireObjectBody(body: JsonValue | undefined, what: string): JsonObject {
  if (body === undefined) throw new BadRequestError(`Missing request body: expected a JSON ${what}`);
  if (!isJsonObject(body)) throw new BadRequestError(`Invalid request body: expected a JSON object (${what})`);
  return body;
}

export function optionalStringMap(value: JsonValue | undefined, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) throw new BadRequestError(`Invalid ${field}: expected an object of string values`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new BadRequestError(`Invalid ${field}: value of '${key}' must be a string`);
    out[key] = v;
  }
  return out;
}

export function optionalStringArray(value: JsonValue | undefined, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new BadRequestError(`Invalid ${field}: expected an array of strings`);
  }
  return value;
}
