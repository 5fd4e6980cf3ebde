import type { S3Connection } from '../../config.js';
import { ConfigurationError } from '../../errors.js';

/**
 * Where a signed request may go: the S3 endpoint the catalog itself uses (S3_ENDPOINT), or, on
 * AWS (no endpoint configured), S3's regional endpoints for the catalog's region. A signature made
 * with the catalog's key is only handed out for a request to one of these hosts, so a client cannot
 * have it sign a request to some other service that happens to accept the same key.
 */
export interface S3Endpoint {
  readonly scheme: 'http' | 'https';
  readonly port: number;
  /** Lower-case host names that address the service itself (path-style: `<host>/<bucket>/<key>`). */
  readonly hosts: readonly string[];
  /** Virtual-hosted `<bucket>.<host>` is possible (not for an IP literal, which has no subdomains). */
  readonly virtualHosted: boolean;
  /** A path prefix of the endpoint itself (`http://gateway/s3`), '' for none. */
  readonly basePath: string;
  /** The region signatures are made for (the catalog's S3 region). */
  readonly region: string;
}

const DEFAULT_PORT = { http: 80, https: 443 } as const;

export function defaultPort(scheme: 'http' | 'https'): number {
  return DEFAULT_PORT[scheme];
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

export function s3Endpoint(connection: Pick<S3Connection, 'endpoint' | 'region'>): S3Endpoint {
  const region = connection.region;
  if (connection.endpoint === undefined) {
    // AWS S3's documented regional endpoints (path-style and virtual-hosted, IPv4 and dual-stack);
    // us-east-1 also answers on the legacy global host.
    const hosts = [`s3.${region}.amazonaws.com`, `s3.dualstack.${region}.amazonaws.com`, ...(region === 'us-east-1' ? ['s3.amazonaws.com'] : [])];
    return { scheme: 'https', port: 443, hosts, virtualHosted: true, basePath: '', region };
  }
  let url: URL;
  try {
    url = new URL(connection.endpoint);
  } catch {
    throw new ConfigurationError(`S3_ENDPOINT must be an http(s) URL; got '${connection.endpoint}'`);
  }
  const scheme = url.protocol === 'http:' ? 'http' : url.protocol === 'https:' ? 'https' : undefined;
  if (scheme === undefined) throw new ConfigurationError(`S3_ENDPOINT must be an http(s) URL; got '${connection.endpoint}'`);
  const host = url.hostname.toLowerCase();
  return {
    scheme,
    port: url.port === '' ? defaultPort(scheme) : Number(url.port),
    hosts: [host],
    virtualHosted: !IP_LITERAL.test(host) && host !== 'localhost',
    basePath: url.pathname.replace(/\/+$/, ''),
    region,
  };
}
