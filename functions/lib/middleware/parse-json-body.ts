import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { BadRequestError, PayloadTooLargeError } from '../../../core/errors.js';
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
