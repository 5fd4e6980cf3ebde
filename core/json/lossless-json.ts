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

/**
 * Without the reviver's source text (Node < 22) 64-bit ids would be rounded silently: refuse to run
 * instead (code review 3), whatever `engines` in package.json says.
 */
export function assertLosslessJsonSupported(parse: typeof JSON.parse = JSON.parse): void {
  let source: string | undefined;
  parse('9007199254740993', (_key: string, value: unknown, context?: ReviverContext) => {
    source = context?.source;
    return value;
  });
  if (source !== '9007199254740993' || typeof (JSON as { rawJSON?: unknown }).rawJSON !== 'function') {
    throw new Error(`Node.js >= 22 is required (this is ${process.version}): older versions would round 64-bit snapshot ids`);
  }
}
assertLosslessJsonSupported();

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

/**
 * Deepest nesting parseJson accepts. Iceberg documents nest far less (types at most 64 levels,
 * about 200 JSON levels). Deeper input is refused by a linear scan before JSON.parse: with a
 * reviver, JSON.parse recurses once per level, and a stack overflow there crashed the whole process
 * in V8's deoptimizer ("Fatal error: unreachable code") instead of throwing (found by the fuzzer).
 */
export const MAX_JSON_DEPTH = 512;

function checkNesting(text: string): void {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) throw new SyntaxError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (code === 0x5d || code === 0x7d) {
      depth -= 1;
    }
  }
}

/** Parses JSON text; throws SyntaxError on malformed input (and on nesting over MAX_JSON_DEPTH), as JSON.parse does. */
export function parseJson(text: string): JsonValue {
  checkNesting(text);
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
