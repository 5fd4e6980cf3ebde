import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { mapError } from '../../../core/http/error-response.js';
import { jsonResult, type HttpEvent, type HttpResult } from '../api-gateway.js';
import { log } from '../logger.js';
import { requestState } from '../request-state.js';

/** Every failure leaves as the spec's error model; unexpected ones are logged with their cause chain. */
export function mapErrors(): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  return {
    name: 'mapErrors',
    onError: (request) => {
      const mapped = mapError(request.error);
      const state = requestState(request.event);
      state.errorType = mapped.body.error.type;
      if (mapped.internal !== undefined) {
        state.errorId = mapped.internal.errorId;
        log('error', 'unexpected error', { requestId: state.requestId, errorId: mapped.internal.errorId, detail: mapped.internal.detail });
      }
      const isHead = request.event.requestContext.http.method === 'HEAD';
      request.response = jsonResult(mapped.status, isHead ? undefined : mapped.body);
    },
  };
}
