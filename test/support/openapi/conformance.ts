import { AssertionError } from 'node:assert';
import { ROUTES } from '../../../core/http/routes.js';
import { ExchangeStats } from './exchange-stats.js';
import { loadOpenApiDocument } from './openapi-spec.js';
import { OpenApiValidator, type ExchangeRequest, type ExchangeResponse, type SpecProblem } from './openapi-validator.js';

/**
 * The hook the integration harness calls after every exchange: validates it against the OpenAPI
 * document and throws an AssertionError on a violation, so the test that caused it fails. One
 * validator per test process, built on first use.
 *
 * OPENAPI_VALIDATION=report records violations (in the stats and the final report) without
 * throwing, to survey a whole run at once; =off skips the layer.
 */
export const VALIDATION_ENV = 'OPENAPI_VALIDATION';

/**
 * What GET /v1/config advertises in `endpoints`: the route table's live routes (its handler builds
 * the list from the same table). Planned routes answer 501 and are not advertised.
 */
const ADVERTISED = new Set<string>(ROUTES.filter((r) => r.status === 'live').map((r) => r.operationId));

let validator: OpenApiValidator | null | undefined;
const stats = new ExchangeStats();

function theValidator(): OpenApiValidator | null {
  if (validator === undefined) {
    const mode = process.env[VALIDATION_ENV];
    const document = mode === 'off' ? undefined : loadOpenApiDocument();
    validator = document === undefined ? null : new OpenApiValidator(document, { advertised: ADVERTISED });
    if (validator !== null) stats.writeAtExit();
  }
  return validator;
}

function describe(problem: SpecProblem): string {
  return `${problem.pointer === '' ? '(body)' : problem.pointer}: ${problem.message}`;
}

/**
 * Checks and counts one exchange; returns the violation as text (undefined when it conforms), for
 * callers that collect failures themselves (the route fuzzer) instead of throwing at the first.
 */
export function conformanceProblem(request: ExchangeRequest, response: ExchangeResponse): string | undefined {
  const v = theValidator();
  if (v === null) return undefined;
  const outcome = v.checkExchange(request, response);
  if (outcome.kind === 'not-in-spec') {
    stats.notInSpec[outcome.reason] += 1;
    return undefined;
  }
  const counts = stats.counts(outcome.operationId);
  if (outcome.requestProblems.length > 0) counts.invalidRequests += 1;
  else counts.validRequests += 1;
  if (outcome.unprefixed) counts.unprefixed += 1;
  counts.responses += 1;
  if (outcome.notImplemented) counts.notImplemented += 1;
  if (outcome.violations.length === 0) return undefined;
  counts.violations += 1;
  const path = request.path.split('?')[0]!;
  const summary = `${outcome.operationId} ${response.status}: ${outcome.violations.map(describe).join('; ')}`;
  stats.violations.add(summary.length > 600 ? `${summary.slice(0, 600)}...` : summary);
  if (process.env[VALIDATION_ENV] === 'report') return undefined;
  return `OpenAPI violation: ${request.method} ${path.slice(0, 200)} (${outcome.operationId}) answered ${response.status}\n${outcome.violations
    .map((p) => `  ${describe(p)}`)
    .join('\n')}${outcome.requestProblems.length > 0 ? `\n  (the request itself breaks the spec: ${outcome.requestProblems.map(describe).join('; ')})` : ''}\n  body: ${response.text.slice(0, 500)}`;
}

/** The harness hook: throws an AssertionError on a violation, so the test that caused it fails. */
export function checkConformance(request: ExchangeRequest, response: ExchangeResponse): void {
  const problem = conformanceProblem(request, response);
  if (problem !== undefined) throw new AssertionError({ message: problem });
}
