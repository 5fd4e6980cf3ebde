import { isUtf8 } from 'node:buffer';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { errorBody } from '../core/http/error-response.js';
import { matchRoute } from '../core/http/route-matcher.js';
import type { RouteDefinition } from '../core/http/routes.js';
import { stringifyJson } from '../core/json/lossless-json.js';
import { lambdaContext, toApiGatewayEvent } from './api-gateway-event.js';

/** Same limit as Lambda's request payload; anything larger is refused before a handler runs. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

const handlers = new Map<string, Promise<LambdaHandler>>();

/** Imports a route's handler module once, as a Lambda container would on its first invocation. */
function loadHandler(route: RouteDefinition): Promise<LambdaHandler> {
  let loaded = handlers.get(route.handler);
  if (loaded === undefined) {
    const url = pathToFileURL(join(PROJECT_ROOT, `${route.handler}.ts`)).href;
    loaded = import(url).then((module: { handler: LambdaHandler }) => module.handler);
    handlers.set(route.handler, loaded);
  }
  return loaded;
}

/**
 * Time bounds (D10). A slow client may hold a connection, never a handler: headers and body must
 * arrive within `bodyTimeoutMs` of the connection's request starting (408), and a request whose
 * handler has not answered within `requestTimeoutMs` gets a 503, which Iceberg clients treat as
 * "commit state unknown" and retry by reloading. The request deadline stays below the storage
 * protocol's 20 s writer deadline (core/catalog/deadlines.ts). `maxConnections` bounds open sockets.
 */
export interface LocalServerLimits {
  readonly bodyTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxConnections: number;
}

export const DEFAULT_LIMITS: LocalServerLimits = { bodyTimeoutMs: 10_000, requestTimeoutMs: 19_000, maxConnections: 512 };

class BodyTooLarge extends Error {}
class BodyTimeout extends Error {}

function readBody(request: IncomingMessage, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: () => void): void => {
      clearTimeout(timer);
      request.off('data', onData).off('end', onEnd).off('error', onError);
      outcome();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) finish(() => reject(new BodyTooLarge()));
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish(() => resolve(size === 0 ? undefined : Buffer.concat(chunks)));
    const onError = (error: Error): void => finish(() => reject(error));
    const timer = setTimeout(() => finish(() => reject(new BodyTimeout())), timeoutMs);
    request.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

function sendError(response: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(stringifyJson(errorBody(status, type, message)));
}

/** Answers and closes the connection: the rest of a refused body is never read. */
function refuse(request: IncomingMessage, response: ServerResponse, status: number, type: string, message: string): void {
  sendError(response, status, type, message, { connection: 'close' });
  response.once('finish', () => request.socket.destroy());
}

/**
 * Bodies go to the handlers as API Gateway sends them: text when they are valid UTF-8, base64 with
 * `isBase64Encoded` otherwise, so the handler can refuse them instead of seeing U+FFFD (D6).
 */
function withBody(event: APIGatewayProxyEventV2, body: Buffer | undefined): APIGatewayProxyEventV2 {
  if (body === undefined || isUtf8(body)) return event;
  return { ...event, body: body.toString('base64'), isBase64Encoded: true };
}

async function handle(request: IncomingMessage, response: ServerResponse, limits: LocalServerLimits): Promise<void> {
  const started = Date.now();
  const url = request.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQueryString = q < 0 ? '' : url.slice(q + 1);
  const match = matchRoute(request.method ?? 'GET', rawPath);
  if (match.kind === 'not-found') {
    request.resume();
    return sendError(response, 404, 'NoSuchRouteException', `No route for ${rawPath}`);
  }
  if (match.kind === 'method-not-allowed') {
    request.resume();
    return sendError(response, 405, 'MethodNotAllowedException', `Method ${request.method} is not allowed on ${rawPath}`, {
      allow: match.allowed.join(', '),
    });
  }
  let body: Buffer | undefined;
  try {
    body = await readBody(request, limits.bodyTimeoutMs);
  } catch (error) {
    if (error instanceof BodyTooLarge) return refuse(request, response, 400, 'PayloadTooLargeException', `Request body larger than ${MAX_BODY_BYTES} bytes`);
    if (error instanceof BodyTimeout) return refuse(request, response, 408, 'RequestTimeoutException', `Request body not received within ${limits.bodyTimeoutMs} ms`);
    throw error;
  }
  // The event's routeKey names the template that matched (the un-prefixed twin too), as API Gateway's does.
  const matched = { ...match.route, path: match.template.path };
  const event = withBody(toApiGatewayEvent(request, matched, rawPath, rawQueryString, match.params, body?.toString('utf8')), body);
  const handler = await loadHandler(match.route);
  const remaining = Math.max(0, limits.requestTimeoutMs - (Date.now() - started));
  const result = await withDeadline(handler(event, lambdaContext(match.route.operationId, event.requestContext.requestId)), remaining);
  if (result === undefined) {
    return refuse(request, response, 503, 'ServiceUnavailableException', `Request not answered within ${limits.requestTimeoutMs} ms; its outcome is unknown, reload before retrying`);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  response.writeHead(result.statusCode ?? 200, headers);
  const payload = result.body === undefined || request.method === 'HEAD' ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  response.end(payload);
}

/** The handler's answer, or undefined once the deadline passed (the handler keeps running, as a timed-out Lambda's effects may land). */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Requests Node's parser refuses (headers over 16 KiB, malformed request lines, headers that did not
 * arrive in time) are answered in the error model too, instead of Node's bare status line.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, type, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'RequestHeaderFieldsTooLargeException', 'Request headers too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'RequestTimeoutException', 'Request not received in time']
        : [400, 'BadRequestException', 'Malformed HTTP request'];
  const body = stringifyJson(errorBody(status, type, message));
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

export interface LocalServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves the route table over HTTP by invoking the same handler modules production deploys. */
export async function startLocalServer(options: { port: number; host: string; limits?: Partial<LocalServerLimits> }): Promise<LocalServer> {
  const limits: LocalServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const server = createServer((request, response) => {
    handle(request, response, limits).catch((error: unknown) => {
      process.stderr.write(`${JSON.stringify({ level: 'error', message: 'local server failure', detail: String(error instanceof Error ? error.stack : error) })}\n`);
      if (!response.headersSent) sendError(response, 500, 'InternalServerError', 'Internal server error');
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  // Node's own bounds as a backstop: headers within the body bound (Node answers a bare 408), the
  // whole request a little later than ours so that ours, in the error model, normally comes first.
  server.headersTimeout = limits.bodyTimeoutMs;
  server.requestTimeout = limits.bodyTimeoutMs + 2_000;
  server.maxConnections = limits.maxConnections;
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
