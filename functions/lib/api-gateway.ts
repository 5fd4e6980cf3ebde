import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
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

export function bodyText(event: HttpEvent): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function jsonResult(status: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  if (body === undefined) return { statusCode: status, headers };
  return { statusCode: status, headers: { 'content-type': 'application/json', ...headers }, body: stringifyJson(body) };
}
