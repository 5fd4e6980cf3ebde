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

/**
 * Parses the form into the request's body as a JSON object: a field's value is its string, or, when
 * the field is repeated, the array of its values. Nothing is dropped here: RFC 6749 §3.1 says a
 * repeated parameter is an `invalid_request`, which the token endpoint answers in OAuth's error
 * model (silently keeping one copy would let two parsers of the same request disagree).
 */
export function parseFormBody(): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  return {
    name: 'parseFormBody',
    before: (request) => {
      const text = bodyText(request.event);
      if (text === undefined) return;
      const type = request.event.headers?.['content-type'] ?? '';
      if (!/^application\/x-www-form-urlencoded\b/i.test(type)) throw new UnsupportedMediaTypeError('Expected an application/x-www-form-urlencoded body');
      if (Buffer.byteLength(text, 'utf8') > MAX_FORM_BYTES) throw new BadRequestError(`Form body larger than ${MAX_FORM_BYTES} bytes`);
      // A Map, not an object literal: a field named `__proto__` or `constructor` is just a name.
      const fields = new Map<string, string[]>();
      for (const pair of text.split('&')) {
        if (pair === '') continue;
        const eq = pair.indexOf('=');
        const name = formDecode(eq < 0 ? pair : pair.slice(0, eq), 'form field name');
        const value = formDecode(eq < 0 ? '' : pair.slice(eq + 1), `form field ${name}`);
        const values = fields.get(name);
        if (values === undefined) fields.set(name, [value]);
        else values.push(value);
      }
      requestState(request.event).body = Object.fromEntries([...fields].map(([name, values]) => [name, values.length === 1 ? values[0]! : values]));
    },
  };
}
