import { isUtf8 } from 'node:buffer';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { BadRequestError } from '../../core/errors.js';
import { formDecode } from '../../core/http/identifiers.js';
import { stringifyJson } from '../../core/json/lossless-json.js';

/** The translations between API Gateway HTTP API (payload 2.0) events and the catalog's own types. */
export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** Lambda's request payload limit; larger bodies never reach a function. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

export function parseQuery(rawQueryString: string | undefined): Map<string, string> {
  const query = new Map<string, string>();
  if (rawQueryString === undefined || rawQueryString === '') return query;
  for (const pair of rawQueryString.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = formDecode(eq < 0 ? pair : pair.slice(0, eq), 'query parameter name');
    const value = eq < 0 ? '' : formDecode(pair.slice(eq + 1), `query parameter ${name}`);
    if (!query.has(name)) query.set(name, value);
  }
  return query;
}


/**
 * The request body as text. A body that is not valid UTF-8 is a 400 (D6): decoding it leniently
 * would turn different byte strings into the same U+FFFD-laden name. API Gateway (and the local
 * server) hand such bodies over base64-encoded, so that is where the check happens.
 */
export function bodyText(event: HttpEvent): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  if (!event.isBase64Encoded) return event.body;
  // isUtf8, not a fatal TextDecoder: its thrown TypeError, caught here on every such body, coincided
  // with V8 (Maglev) crashing the process in the route fuzzer.
  const bytes = Buffer.from(event.body, 'base64');
  if (!isUtf8(bytes)) throw new BadRequestError('Invalid request body: not valid UTF-8');
  return bytes.toString('utf8');
}

export function jsonResult(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  if (body === undefined) return { statusCode: status, headers };
  return { statusCode: status, headers: { 'content-type': 'application/json', ...headers }, body: stringifyJson(body) };
}
