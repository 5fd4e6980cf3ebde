import type { PreparedS3Request } from './signing-rules.js';

/**
 * The port: signs a request the rules have accepted with the catalog's own credentials and answers
 * every header the signed request carries (the client's signed headers, host, x-amz-date,
 * x-amz-content-sha256, a session token when the credentials have one, and authorization).
 */
export interface S3RequestSigner {
  sign(request: PreparedS3Request, signingDate: Date): Promise<Record<string, string>>;
}
