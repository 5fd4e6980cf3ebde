import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { S3Connection } from '../../config.js';
import type { S3RequestSigner } from './request-signer.js';
import type { PreparedS3Request } from './signing-rules.js';

/**
 * The adapter: AWS's own SigV4 implementation (`@smithy/signature-v4`, what the SDK's S3 client
 * signs with), configured as the S3 client configures it: no double-encoding of the path (S3 signs
 * the path as sent) and the payload hash taken from x-amz-content-sha256.
 */
interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}
type CredentialProvider = () => Promise<Credentials>;

/** The hash the signer takes: SHA-256, or HMAC-SHA-256 when constructed with a key (the signer's `Checksum` shape). */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : ArrayBuffer.isView(this.secret) ? new Uint8Array(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength) : new Uint8Array(this.secret);
    return createHmac('sha256', key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

/**
 * The catalog's S3 credentials: the configured key pair, else the SDK's default provider chain
 * (environment, the Lambda role, ...), loaded on first use and cached and refreshed by the SDK.
 * The S3 client is created only to borrow its resolved provider: it sends nothing.
 */
function credentialProvider(connection: Pick<S3Connection, 'credentials' | 'region'>): CredentialProvider {
  const configured = connection.credentials;
  if (configured !== undefined) return () => Promise.resolve(configured);
  let provider: Promise<CredentialProvider> | undefined;
  return async () => {
    provider ??= import('@aws-sdk/client-s3').then(({ S3Client }) => {
      const client = new S3Client({ region: connection.region });
      return () => client.config.credentials();
    });
    return (await provider)();
  };
}

export class SigV4RequestSigner implements S3RequestSigner {
  private readonly signer: SignatureV4;

  constructor(connection: Pick<S3Connection, 'credentials' | 'region'>) {
    this.signer = new SignatureV4({
      service: 's3',
      region: connection.region,
      credentials: credentialProvider(connection),
      sha256: NodeSha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
  }

  async sign(request: PreparedS3Request, signingDate: Date): Promise<Record<string, string>> {
    const target = request.target;
    const signed = await this.signer.sign(
      {
        method: request.method,
        protocol: `${target.scheme}:`,
        hostname: target.host,
        port: target.port,
        path: request.path,
        query: Object.fromEntries(target.query),
        headers: { ...request.signedHeaders },
      },
      { signingDate, signingRegion: request.region, signingService: 's3' },
    );
    return { ...signed.headers };
  }
}
