import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../../core/errors.js';
import { parseJson } from '../../../core/json/lossless-json.js';
import { bodyText, MAX_BODY_BYTES, type HttpEvent, type HttpResult } from '../api-gateway.js';
import { requestState } from '../request-state.js';

/**
 * Parses the body as lossless JSON (64-bit ids stay exact). Malformed JSON is the client's mistake:
 * 400, never a 500. Deeply nested input that exhausts the parser's stack is refused the same way.
 */
export function parseJsonBody(): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  return {
    name: 'parseJsonBody',
    before: (request) => {
      const text = bodyText(request.event);
      if (text === undefined) return;
      checkJsonContentType(request.event.headers?.['content-type']);
      if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
        throw new PayloadTooLargeError(`Request body larger than ${MAX_BODY_BYTES} bytes`);
      }
      try {
        requestState(request.event).body = parseJson(text);
      } catch (error) {
        const reason = error instanceof SyntaxError ? error.message : 'nested too deeply';
        throw new BadRequestError(`Malformed JSON request body: ${reason}`, { cause: error });
      }
    },
  };
}

/**
 * Content types a JSON body may declare (D7). No content type, `application/json` with any
 * parameters and `application/*+json` are JSON. `application/x-www-form-urlencoded` is what
 * `curl -d` sends by default, so it is read as JSON too (the README's examples rely on it). Every
 * other declared type (`text/plain`, `multipart/form-data`, ...) is refused (UnsupportedMediaTypeException, a 400: the spec lists no 415): the body was not meant
 * as JSON. This is hygiene, not CSRF protection: credentials travel in the Authorization header,
 * which no cross-site form can set.
 */
const JSON_CONTENT_TYPE = /^\s*(application\/(json|[\w.+-]+\+json|x-www-form-urlencoded))?\s*(;.*)?$/i;

export function checkJsonContentType(contentType: string | undefined): void {
  if (contentType === undefined || JSON_CONTENT_TYPE.test(contentType)) return;
  throw new UnsupportedMediaTypeError(`Unsupported content type ${JSON.stringify(contentType.slice(0, 100))}: expected application/json`);
}
