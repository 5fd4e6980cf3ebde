import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { BadRequestError, UnsupportedMediaTypeError } from '../../../core/errors.js';
import { formDecode } from '../../../core/http/identifiers.js';
import type { OperationId } from '../../../core/http/routes.js';
import { bodyText, type HttpEvent, type HttpResult } from '../api-gateway.js';
import { requestState } from '../request-state.js';

/** Operations whose body is `application/x-www-form-urlencoded` (OAuth 2's token endpoint) rather than JSON. */
export const FORM_ENCODED_OPERATIONS: ReadonlySet<OperationId> = new Set<OperationId>(['getToken']);

/** Upper bound on a form body (a token request is a few hundred bytes). */
const MAX_FORM_BYTES = 64 * 1024;

/** Parses the form into the request's body as a JSON object of strings; a repeated field keeps its first value. */
export function parseFormBody(): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  return {
    name: 'parseFormBody',
    before: (request) => {
      const text = bodyText(request.event);
      if (text === undefined) return;
      const type = request.event.headers?.['content-type'] ?? '';
      if (!/^application\/x-www-form-urlencoded\b/i.test(type)) throw new UnsupportedMediaTypeError('Expected an application/x-www-form-urlencoded body');
      if (Buffer.byteLength(text, 'utf8') > MAX_FORM_BYTES) throw new BadRequestError(`Form body larger than ${MAX_FORM_BYTES} bytes`);
      const fields: Record<string, string> = {};
      for (const pair of text.split('&')) {
        if (pair === '') continue;
        const eq = pair.indexOf('=');
        const name = formDecode(eq < 0 ? pair : pair.slice(0, eq), 'form field name');
        if (!(name in fields)) fields[name] = formDecode(eq < 0 ? '' : pair.slice(eq + 1), `form field ${name}`);
      }
      requestState(request.event).body = fields;
    },
  };
}
