import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return size === 0 ? undefined : Buffer.concat(chunks).toString('utf8');
}

function sendError(response: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(stringifyJson(errorBody(status, type, message)));
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
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
  let body: string | undefined;
  try {
    body = await readBody(request);
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendError(response, 413, 'PayloadTooLargeException', `Request body larger than ${MAX_BODY_BYTES} bytes`, { connection: 'close' });
    throw error;
  }
  const event = toApiGatewayEvent(request, match.route, rawPath, rawQueryString, match.params, body);
  const handler = await loadHandler(match.route);
  const result = await handler(event, lambdaContext(match.route.operationId, event.requestContext.requestId));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  response.writeHead(result.statusCode ?? 200, headers);
  const payload = result.body === undefined || request.method === 'HEAD' ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  response.end(payload);
}

export interface LocalServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Serves the route table over HTTP by invoking the same handler modules production deploys. */
export async function startLocalServer(options: { port: number; host: string }): Promise<LocalServer> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      process.stderr.write(`${JSON.stringify({ level: 'error', message: 'local server failure', detail: String(error instanceof Error ? error.stack : error) })}\n`);
      if (!response.headersSent) sendError(response, 500, 'InternalServerError', 'Internal server error');
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
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
