import { Ajv2020, type AnySchemaObject, type ErrorObject, type FuncKeywordDefinition, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { parseJson, type JsonValue } from '../../../core/json/lossless-json.js';

/**
 * Checks one HTTP exchange with the catalog against the Iceberg REST OpenAPI document: the request
 * the test sent and the response the catalog gave. Test-only: the catalog itself never reads the
 * spec. The document is passed in already parsed (see openapi-spec.ts), so the unit test can feed
 * the real spec and the harness can run without it.
 */

/** One way the exchange breaks the spec. `pointer` is a JSON pointer into the body ('' = the whole body, or a header/parameter name). */
export interface SpecProblem {
  readonly pointer: string;
  readonly message: string;
}

export interface ExchangeRequest {
  readonly method: string;
  /** Path and query as sent, still percent-encoded. */
  readonly path: string;
  /** Header names in any case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
}

export interface ExchangeResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
}

export type ExchangeOutcome =
  | { readonly kind: 'not-in-spec'; readonly reason: 'management' | 'other' }
  | {
      readonly kind: 'checked';
      readonly operationId: string;
      /** Problems of the request (the test sent something the spec does not allow). */
      readonly requestProblems: readonly SpecProblem[];
      /** Problems of the response: each one is a violation that fails the test. */
      readonly violations: readonly SpecProblem[];
      /** A 501 from an operation the catalog does not advertise (see checkResponse). */
      readonly notImplemented: boolean;
      /** Matched through the un-prefixed form of the path (`/v1/namespaces/...`). */
      readonly unprefixed: boolean;
    };

export interface OpenApiValidatorOptions {
  /**
   * The operationIds the catalog advertises in `GET /v1/config` `endpoints`. Only these must not
   * answer 501; undefined means every operation is expected to be implemented.
   */
  readonly advertised?: ReadonlySet<string>;
}

type JsonSchema = { [key: string]: unknown };

interface MediaSpec {
  /** Compiled on first use: compiling every schema of the spec up front costs seconds per test process. */
  readonly validate: (() => ValidateFunction) | undefined;
  /** The components/schemas name the media type's schema refers to, if it is a plain $ref. */
  readonly schemaName: string | undefined;
}

interface ResponseSpec {
  /** '200', '4XX', 'default' ... as the spec writes it. */
  readonly key: string;
  readonly content: ReadonlyMap<string, MediaSpec>;
}

interface ParameterSpec {
  readonly name: string;
  readonly in: 'query' | 'header';
  readonly required: boolean;
  readonly schema: JsonSchema;
  readonly validate: () => ValidateFunction;
}

interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly template: string;
  readonly responses: ReadonlyMap<string, ResponseSpec>;
  readonly requestBody: { readonly required: boolean; readonly content: ReadonlyMap<string, MediaSpec> } | undefined;
  readonly parameters: readonly ParameterSpec[];
}

interface Template {
  readonly operation: Operation;
  readonly segments: readonly (string | null)[];
  readonly unprefixed: boolean;
}

const SPEC_ID = 'iceberg-rest-openapi';
const MANAGEMENT_PREFIX = '/management/';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Keeps a failure message readable: an anyOf over 25 update kinds reports dozens of branch errors. */
const MAX_REPORTED_SCHEMA_ERRORS = 3;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown, what: string): JsonSchema {
  if (!isObject(value)) throw new Error(`OpenAPI document: ${what} is not an object`);
  return value;
}

/** Schema keywords whose values are data, not schemas: never rewritten. */
const DATA_KEYWORDS = new Set(['example', 'examples', 'default', 'enum', 'const']);

/** Keywords whose values map names (property names, which may be `default` or `type`) to schemas. */
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);

/** Rewrites each schema of a name → schema map (`properties`, components.schemas). */
function rewriteSchemaMap(map: JsonSchema, components: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(map).map(([name, schema]) => [name, rewriteSchema(schema, components)]));
}

/**
 * The settings of the `losslessNumber` keyword that replaces `type: integer|number` (see
 * rewriteSchema).
 */
interface LosslessNumber {
  readonly integer: boolean;
  readonly format?: string;
  readonly nullable: boolean;
}

/**
 * Returns a copy of a schema where `type: integer` and `type: number` (with their `format` and
 * `nullable`) become the custom `losslessNumber` keyword. Why: the harness parses bodies with the
 * project's lossless JSON, so a 64-bit id above 2^53 arrives as a `bigint`, and Ajv's own `type`
 * check only knows `typeof === 'number'` (it would call every such snapshot id "must be integer";
 * converting to number first would round it and hide exactly the bugs this layer is for). `$ref`s to
 * `#/...` are pointed at the spec's id so operation-level schemas resolve into the components.
 */
function rewriteSchema(node: unknown, components: JsonSchema): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteSchema(item, components));
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYWORDS.has(key)) out[key] = value;
    else if (SCHEMA_MAP_KEYWORDS.has(key) && isObject(value)) out[key] = rewriteSchemaMap(value, components);
    else if (key === '$ref' && typeof value === 'string' && value.startsWith('#/')) out[key] = `${SPEC_ID}${value}`;
    else out[key] = rewriteSchema(value, components);
  }
  if (out['type'] === 'integer' || out['type'] === 'number') {
    const setting: LosslessNumber = {
      integer: out['type'] === 'integer',
      ...(typeof out['format'] === 'string' ? { format: out['format'] } : {}),
      nullable: out['nullable'] === true,
    };
    delete out['type'];
    delete out['format'];
    delete out['nullable'];
    out['losslessNumber'] = setting;
  }
  rewriteDiscriminator(out, components);
  oneOfAsAnyOf(out);
  return out;
}

/**
 * OpenAPI's `discriminator` is a hint: the validation itself is the `oneOf`/`anyOf`/`allOf` next to
 * it. Ajv's `discriminator` option uses it to pick the one branch to report on (clear messages
 * instead of "must match exactly one schema" plus every branch's errors), but only in the shape it
 * supports: a `oneOf` whose branches each declare the tag with `const`/`enum` and require it, and no
 * `mapping` (Ajv derives the mapping from those constants; in this spec they agree). Elsewhere (the
 * base-type style `BaseUpdate`, `TableRequirement`, `ContentFile` without `oneOf`, or branches that
 * reach the tag through `allOf`) the keyword is dropped: the schema still validates what it says.
 */
function rewriteDiscriminator(schema: JsonSchema, components: JsonSchema): void {
  const discriminator = schema['discriminator'];
  if (!isObject(discriminator)) return;
  const tag = discriminator['propertyName'];
  const oneOf = schema['oneOf'];
  const works =
    typeof tag === 'string' &&
    Array.isArray(oneOf) &&
    oneOf.every((branch) => isObject(branch) && typeof branch['$ref'] === 'string' && branchDeclaresTag(components, branch['$ref'], tag));
  if (works) schema['discriminator'] = { propertyName: tag };
  else delete schema['discriminator'];
}

/**
 * A `oneOf` with no discriminator Ajv can use is checked as `anyOf`. Why: the spec's undiscriminated
 * unions overlap by design and rely on first-match resolution, as OpenAPI code generators do (`Type`
 * says "Keep VariantType first, or the generated client resolves `variant` as PrimitiveType";
 * `PrimitiveTypeValue` lists int and long, string and uuid and date, whose JSON is the same: which
 * one applies depends on the field's type, which the schema cannot see). Exactly-one would reject
 * every `variant` field and every integer default; at-least-one still rejects a value no branch allows.
 */
function oneOfAsAnyOf(schema: JsonSchema): void {
  if (!('oneOf' in schema) || 'discriminator' in schema || 'anyOf' in schema) return;
  schema['anyOf'] = schema['oneOf'];
  delete schema['oneOf'];
}

function branchDeclaresTag(components: JsonSchema, ref: string, tag: string): boolean {
  const name = ref.split('/').pop() ?? '';
  const target = components[name];
  if (!isObject(target)) return false;
  const properties = target['properties'];
  const property = isObject(properties) ? properties[tag] : undefined;
  const required = target['required'];
  return isObject(property) && ('const' in property || 'enum' in property) && Array.isArray(required) && required.includes(tag);
}

/**
 * Validates the `losslessNumber` keyword: a JSON number that may arrive as a `number` or, above
 * 2^53, as a `bigint`. int64 is checked exactly: a bigint must lie in [-2^63, 2^63-1]; a `number`
 * must be a safe integer, because the lossless parser turns every integer literal beyond 2^53 into
 * a bigint, so an unsafe `number` was written in a form (exponent, fraction) that JSON.parse rounded.
 */
type KeywordValidate = ((setting: LosslessNumber, data: unknown, parentSchema?: AnySchemaObject) => boolean) & { errors?: Partial<ErrorObject>[] };

const validateLosslessNumber: KeywordValidate = function validate(setting: LosslessNumber, data: unknown, parentSchema?: AnySchemaObject): boolean {
  const fail = (message: string): boolean => {
    validateLosslessNumber.errors = [{ keyword: 'losslessNumber', message, params: { format: setting.format } }];
    return false;
  };
  const kind = setting.integer ? 'integer' : 'number';
  if (data === null) return setting.nullable ? true : fail(`must be ${kind}`);
  if (typeof data === 'number') {
    if (setting.integer && !Number.isInteger(data)) return fail('must be integer');
    if (setting.format === 'int32' && (data < INT32_MIN || data > INT32_MAX)) return fail('must be a 32-bit integer');
    if (setting.format === 'int64' && !Number.isSafeInteger(data)) return fail('must be a 64-bit integer written exactly (got a rounded number)');
    return true; // minimum/maximum on numbers are Ajv's own keywords
  }
  if (typeof data === 'bigint') {
    if (setting.format === 'int32') return fail('must be a 32-bit integer');
    if (setting.format === 'int64' && (data < INT64_MIN || data > INT64_MAX)) return fail('must be a 64-bit integer (out of range)');
    // Ajv applies minimum/maximum to numbers only: check them here for bigints.
    const minimum = parentSchema?.['minimum'];
    const maximum = parentSchema?.['maximum'];
    if (typeof minimum === 'number' && Number(data) < minimum) return fail(`must be >= ${minimum}`);
    if (typeof maximum === 'number' && Number(data) > maximum) return fail(`must be <= ${maximum}`);
    return true;
  }
  return fail(`must be ${kind}`);
};

function newAjv(): Ajv2020 {
  // OpenAPI 3.1 schemas are JSON Schema 2020-12, so Ajv2020. strict: false because the spec carries
  // OpenAPI's own annotations (example, deprecated, xml, externalDocs...) that are not JSON Schema
  // keywords; they mean nothing for validation. `nullable` (an OpenAPI 3.0 word the spec still uses)
  // is understood by Ajv itself next to `type` (numbers: by losslessNumber). `discriminator: true`
  // for the unions where Ajv can use it (see rewriteDiscriminator). Formats: the string ones the spec
  // uses come from ajv-formats; int32/int64/float/double are checked by losslessNumber, not as
  // formats. allErrors: false keeps the first error per branch, enough to point at what is wrong.
  const ajv = new Ajv2020({ strict: false, discriminator: true, allErrors: false, validateFormats: true, logger: false });
  ajvFormats.default(ajv, ['uuid', 'date', 'duration', 'byte', 'uri', 'date-time']);
  const keyword: FuncKeywordDefinition = { keyword: 'losslessNumber', schemaType: 'object', errors: true, validate: validateLosslessNumber };
  ajv.addKeyword(keyword);
  return ajv;
}

function componentName(ref: unknown): string | undefined {
  return typeof ref === 'string' ? ref.split('/').pop() : undefined;
}

/** The media type of a Content-Type header, lower case and without parameters. */
export function mediaType(contentType: string | null | undefined): string | undefined {
  if (contentType === null || contentType === undefined) return undefined;
  return contentType.split(';')[0]!.trim().toLowerCase();
}

function splitPath(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

function schemaProblems(validate: ValidateFunction, data: unknown): SpecProblem[] {
  if (validate(data)) return [];
  const errors: readonly ErrorObject[] = validate.errors ?? [];
  return errors.slice(0, MAX_REPORTED_SCHEMA_ERRORS).map((e) => ({
    pointer: e.instancePath,
    message: `${e.message ?? e.keyword}${Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}` : ''} (schema ${e.schemaPath.replace(`${SPEC_ID}#/components/schemas/`, '')})`,
  }));
}

export class OpenApiValidator {
  private readonly ajv = newAjv();
  private readonly templates: Template[] = [];
  /**
   * Words that follow `/v1/` in some template (namespaces, tables, config, ...). As in the catalog's
   * router, `{prefix}` never matches one, so `/v1/namespaces/namespaces` is the un-prefixed
   * loadNamespaceMetadata, not listNamespaces of a warehouse `namespaces`.
   */
  private readonly reservedPrefixes = new Set<string>();
  private readonly advertised: ReadonlySet<string> | undefined;
  private readonly schemas: JsonSchema;

  constructor(document: unknown, options: OpenApiValidatorOptions = {}) {
    this.advertised = options.advertised;
    const doc = asObject(document, 'the document');
    const components = asObject(doc['components'], 'components');
    const responses = asObject(components['responses'], 'components.responses');
    const parameters = isObject(components['parameters']) ? components['parameters'] : {};
    this.schemas = asObject(components['schemas'], 'components.schemas');
    this.ajv.addSchema({ $id: SPEC_ID, components: { schemas: rewriteSchemaMap(this.schemas, this.schemas) } });

    for (const [template, itemValue] of Object.entries(asObject(doc['paths'], 'paths'))) {
      const item = asObject(itemValue, `paths.${template}`);
      const shared = Array.isArray(item['parameters']) ? item['parameters'] : [];
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!isObject(op) || typeof op['operationId'] !== 'string') continue;
        const operation: Operation = {
          operationId: op['operationId'],
          method: method.toUpperCase(),
          template,
          responses: this.compileResponses(asObject(op['responses'], `${template} responses`), responses),
          requestBody: this.compileRequestBody(op['requestBody']),
          parameters: this.compileParameters([...shared, ...(Array.isArray(op['parameters']) ? op['parameters'] : [])], parameters),
        };
        const segments = template.split('/').slice(1).map((s) => (s.startsWith('{') && s.endsWith('}') ? null : s));
        this.templates.push({ operation, segments, unprefixed: false });
        // The catalog also serves every prefixed route without `{prefix}` (`/v1/namespaces/...`): the
        // same operation, so it validates exactly like the prefixed one.
        if (template.startsWith('/v1/{prefix}/')) {
          this.templates.push({ operation, segments: [segments[0]!, ...segments.slice(2)], unprefixed: true });
        }
      }
    }
    for (const t of this.templates) if (t.segments[0] === 'v1' && typeof t.segments[1] === 'string') this.reservedPrefixes.add(t.segments[1]);
  }

  /** The operationIds in the document, for the stats table. */
  operationIds(): string[] {
    return [...new Set(this.templates.map((t) => t.operation.operationId))];
  }

  private lazy(schema: JsonSchema): () => ValidateFunction {
    let compiled: ValidateFunction | undefined;
    return () => (compiled ??= this.ajv.compile(rewriteSchema(schema, this.schemas) as JsonSchema));
  }

  private compileMedia(contentValue: unknown, response = false): Map<string, MediaSpec> {
    const content = new Map<string, MediaSpec>();
    if (!isObject(contentValue)) return content;
    for (const [media, mediaValue] of Object.entries(contentValue)) {
      let schema = isObject(mediaValue) ? mediaValue['schema'] : undefined;
      // A spec slip: some view 404/409 responses and UnsupportedOperationResponse (406) name the
      // inner `ErrorModel` as the body schema, while their own examples, every other error response
      // and every client (Java's ErrorResponseParser, PyIceberg) use the wrapper `{ "error": ... }`.
      // Checking those against the bare model would demand a body no client can read.
      if (response && isObject(schema) && componentName(schema['$ref']) === 'ErrorModel') schema = { $ref: '#/components/schemas/IcebergErrorResponse' };
      content.set(media.toLowerCase(), {
        validate: isObject(schema) ? this.lazy(schema) : undefined,
        schemaName: isObject(schema) ? componentName(schema['$ref']) : undefined,
      });
    }
    return content;
  }

  private compileResponses(spec: JsonSchema, shared: JsonSchema): Map<string, ResponseSpec> {
    const out = new Map<string, ResponseSpec>();
    for (const [key, value] of Object.entries(spec)) {
      let response = asObject(value, `response ${key}`);
      const ref = componentName(response['$ref']);
      if (ref !== undefined) response = asObject(shared[ref], `components.responses.${ref}`);
      out.set(key.toUpperCase(), { key, content: this.compileMedia(response['content'], true) });
    }
    return out;
  }

  private compileRequestBody(value: unknown): Operation['requestBody'] {
    if (!isObject(value)) return undefined;
    return { required: value['required'] === true, content: this.compileMedia(value['content']) };
  }

  private compileParameters(list: readonly unknown[], shared: JsonSchema): ParameterSpec[] {
    const out: ParameterSpec[] = [];
    for (const entry of list) {
      let parameter = asObject(entry, 'parameter');
      const ref = componentName(parameter['$ref']);
      if (ref !== undefined) parameter = asObject(shared[ref], `components.parameters.${ref}`);
      const where = parameter['in'];
      if ((where !== 'query' && where !== 'header') || typeof parameter['name'] !== 'string') continue;
      const schema = isObject(parameter['schema']) ? parameter['schema'] : {};
      out.push({
        name: parameter['name'],
        in: where,
        required: parameter['required'] === true,
        schema,
        validate: this.lazy(schema),
      });
    }
    return out;
  }

  /**
   * The operation for a method and path, as the catalog's router picks it: templates with more
   * literal segments win (`/tables/rename` over `{namespace}`), then the method must match.
   */
  findOperation(method: string, path: string): { operation: Operation; unprefixed: boolean } | undefined {
    const segments = splitPath(path.split('?')[0]!);
    const fits = this.templates.filter(
      (t) =>
        t.segments.length === segments.length &&
        t.segments.every((literal, i) => (literal === null ? segments[i] !== '' : literal === segments[i])) &&
        (t.unprefixed || !t.operation.template.startsWith('/v1/{prefix}/') || !this.reservedPrefixes.has(segments[1]!)),
    );
    const literals = (t: Template): number => t.segments.filter((s) => s !== null).length;
    const best = Math.max(-1, ...fits.map(literals));
    const hit = fits.find((t) => literals(t) === best && t.operation.method === method.toUpperCase());
    return hit === undefined ? undefined : { operation: hit.operation, unprefixed: hit.unprefixed };
  }

  /** Everything the request breaks: query and header parameters, content type, body. */
  checkRequest(operation: Operation, request: ExchangeRequest): SpecProblem[] {
    const problems: SpecProblem[] = [];
    const query = new URLSearchParams(request.path.includes('?') ? request.path.slice(request.path.indexOf('?') + 1) : '');
    const headers = new Map(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    for (const parameter of operation.parameters) {
      const raw = parameter.in === 'query' ? query.getAll(parameter.name) : headers.has(parameter.name.toLowerCase()) ? [headers.get(parameter.name.toLowerCase())!] : [];
      const where = `${parameter.in} ${parameter.name}`;
      if (raw.length === 0) {
        if (parameter.required) problems.push({ pointer: where, message: 'required parameter missing' });
        continue;
      }
      // A scalar given more than once is not something the schema can judge (OpenAPI leaves it
      // open); each value must still be one the schema allows.
      for (const value of raw) {
        for (const p of schemaProblems(parameter.validate(), parameterValue(parameter, value))) problems.push({ pointer: where, message: p.message });
      }
    }
    const body = operation.requestBody;
    if (body === undefined) return problems;
    if (request.body === undefined || request.body === '') {
      if (body.required) problems.push({ pointer: '', message: 'request body required' });
      return problems;
    }
    const declared = mediaType(headers.get('content-type'));
    // The catalog reads a JSON body whatever it is labelled (none, or curl -d's form type: design
    // D7) and refuses other labels with a 400: the layer judges what was sent, not its label.
    const media = declared !== undefined && body.content.has(declared) ? declared : body.content.has('application/json') ? 'application/json' : undefined;
    const spec = media === undefined ? undefined : body.content.get(media);
    if (spec === undefined) {
      problems.push({ pointer: 'content-type', message: `${declared ?? 'no content type'}; the spec takes ${[...body.content.keys()].join(', ')}` });
      return problems;
    }
    const parsed = parseBody(media!, request.body);
    if (!parsed.ok) problems.push({ pointer: '', message: parsed.message });
    else if (spec.validate !== undefined) problems.push(...schemaProblems(spec.validate(), withBasicCredentials(parsed.value, headers.get('authorization'))));
    return problems;
  }

  /**
   * Everything the response breaks, for a request that was `requestValid`: the status must be listed
   * for the operation (exactly or by its `4XX`/`5XX` range); a body needs a media type the spec lists
   * for that status and must match its schema; an error body's `code` must be the status.
   */
  checkResponse(
    operation: Operation,
    method: string,
    response: ExchangeResponse,
  ): { violations: SpecProblem[]; notImplemented: boolean } {
    const violations: SpecProblem[] = [];
    const status = String(response.status);
    const spec = operation.responses.get(status) ?? operation.responses.get(`${status[0]}XX`) ?? operation.responses.get('DEFAULT');
    if (spec === undefined) {
      return { violations: [{ pointer: '', message: `status ${status} is not listed (listed: ${[...operation.responses.values()].map((r) => r.key).join(', ')})` }], notImplemented: false };
    }
    // The spec lists 5XX for every operation, so a 501 is a documented answer. But an operation the
    // catalog advertises in GET /v1/config `endpoints` promises to be implemented: a 501 there is a
    // lie to clients that trust the list. For the others (scan planning, credentials, sign,
    // functions, unregister) 501 + IcebergErrorResponse is the honest answer; counted apart.
    let notImplemented = false;
    if (response.status === 501) {
      if (this.advertised === undefined || this.advertised.has(operation.operationId)) {
        violations.push({ pointer: '', message: 'an advertised operation answered 501 Not Implemented' });
      } else notImplemented = true;
    }
    if (method.toUpperCase() === 'HEAD' || spec.content.size === 0) {
      if (response.text !== '') violations.push({ pointer: '', message: `status ${status} has no content in the spec, got ${response.text.length} characters` });
      return { violations, notImplemented };
    }
    if (response.text === '') {
      violations.push({ pointer: '', message: `no body; the spec gives status ${status} ${[...spec.content.keys()].join(', ')} content` });
      return { violations, notImplemented };
    }
    const media = mediaType(response.contentType);
    const mediaSpec = media === undefined ? undefined : spec.content.get(media);
    if (mediaSpec === undefined) {
      violations.push({ pointer: 'content-type', message: `${response.contentType ?? 'no Content-Type'}; the spec gives status ${status} ${[...spec.content.keys()].join(', ')}` });
      return { violations, notImplemented };
    }
    const parsed = parseBody(media!, response.text);
    if (!parsed.ok) {
      violations.push({ pointer: '', message: parsed.message });
      return { violations, notImplemented };
    }
    if (mediaSpec.validate !== undefined) violations.push(...schemaProblems(mediaSpec.validate(), parsed.value));
    if (mediaSpec.schemaName === 'IcebergErrorResponse' && isObject(parsed.value) && isObject(parsed.value['error'])) {
      const code = parsed.value['error']['code'];
      if (code !== response.status) violations.push({ pointer: '/error/code', message: `is ${String(code)}, the response status is ${status}` });
    }
    return { violations, notImplemented };
  }

  /** Checks a whole exchange; undefined operation means the route is not part of the spec. */
  checkExchange(request: ExchangeRequest, response: ExchangeResponse): ExchangeOutcome {
    const pathOnly = request.path.split('?')[0]!;
    const found = this.findOperation(request.method, pathOnly);
    if (found === undefined) return { kind: 'not-in-spec', reason: pathOnly.startsWith(MANAGEMENT_PREFIX) ? 'management' : 'other' };
    const { operation, unprefixed } = found;
    const requestProblems = this.checkRequest(operation, request);
    const { violations, notImplemented } = this.checkResponse(operation, request.method, response);
    // A request the spec does not allow may get any 4xx listed for the operation (with a valid error
    // body, checked above), never a success and never a 5xx: that is the catalog accepting nonsense
    // or failing on it. (A 501 from an operation it does not implement at all is fine.)
    if (requestProblems.length > 0 && !(response.status >= 400 && response.status < 500) && !notImplemented) {
      const first = requestProblems[0]!;
      violations.push({ pointer: first.pointer, message: `the request breaks the spec (${first.message}) but was answered ${response.status}, not a 4xx` });
    }
    return { kind: 'checked', operationId: operation.operationId, requestProblems, violations, notImplemented, unprefixed };
  }
}

/** A query/header parameter string as the value its schema describes (OpenAPI `style: simple`/`form`). */
function parameterValue(parameter: ParameterSpec, raw: string): unknown {
  const type = parameter.schema['type'];
  if (type === 'integer' || type === 'number') {
    if (/^-?\d+$/.test(raw)) return Number.isSafeInteger(Number(raw)) ? Number(raw) : BigInt(raw);
    if (type === 'number' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
    return raw;
  }
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (type === 'array') return raw.split(',').map((s) => s.trim());
  return raw;
}

/**
 * The token endpoint's schema requires `client_id` and `client_secret` in the form, but its own
 * descriptions say "This can be sent in the request body, but OAuth2 recommends sending it in a Basic
 * Authorization header" (RFC 6749 2.3.1): credentials from a well-formed Basic header count as sent.
 */
function withBasicCredentials(value: JsonValue | Record<string, string>, authorization: string | undefined): JsonValue | Record<string, string> {
  const match = /^basic\s+(\S+)$/i.exec(authorization ?? '');
  if (match === null || !isObject(value)) return value;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return value;
  try {
    return { client_id: decodeURIComponent(decoded.slice(0, colon)), client_secret: decodeURIComponent(decoded.slice(colon + 1)), ...value };
  } catch {
    return value; // not form-encoded: the request stays without credentials
  }
}

function parseBody(media: string, text: string): { ok: true; value: JsonValue | Record<string, string> } | { ok: false; message: string } {
  if (media === 'application/x-www-form-urlencoded') {
    const form = new URLSearchParams(text);
    const value: Record<string, string> = {};
    for (const [key, entry] of form) {
      if (key in value) return { ok: false, message: `form field ${key} given more than once` };
      value[key] = entry;
    }
    return { ok: true, value };
  }
  try {
    return { ok: true, value: parseJson(text) };
  } catch (error) {
    return { ok: false, message: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}
