/**
 * JSON that keeps 64-bit integers exact. Iceberg snapshot ids, sequence numbers and row ids use the
 * whole signed 64-bit range, which `JSON.parse` would round above 2^53. Integers outside the safe
 * range parse to `bigint`; `bigint` values serialise as bare JSON numbers. Uses the reviver source
 * text and `JSON.rawJSON` of Node >= 22, so no third-party parser is needed.
 */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

interface ReviverContext {
  source?: string;
}

const INTEGER_LITERAL = /^-?\d+$/;

function reviveLongs(this: unknown, _key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && INTEGER_LITERAL.test(context.source)) {
    return BigInt(context.source);
  }
  return value;
}

declare global {
  interface JSON {
    rawJSON(text: string): unknown;
  }
}

function writeLongs(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? JSON.rawJSON(value.toString()) : value;
}

/** Parses JSON text; throws SyntaxError on malformed input, as JSON.parse does. */
export function parseJson(text: string): JsonValue {
  return JSON.parse(text, reviveLongs as (key: string, value: unknown) => unknown) as JsonValue;
}

/**
 * JSON text produced once and sent many times (an immutable metadata file's load answer):
 * stringifyJson passes it through instead of serializing again.
 */
export class SerializedJson {
  constructor(readonly text: string) {}
}

export function stringifyJson(value: unknown, indent?: number): string {
  if (value instanceof SerializedJson && indent === undefined) return value.text;
  return JSON.stringify(value, writeLongs, indent);
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
