import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ServiceUnavailableError } from '../errors.js';
import type { CredentialVendor, VendedCredentials, VendRequest } from './credential-vendor.js';
import { roleSessionName } from './role-session-name.js';
import { sessionPolicyText } from './session-policy.js';

/** The one STS call the vendor makes, so tests can stand in for STS without the SDK. */
export interface AssumeRoleApi {
  assumeRole(input: { RoleArn: string; RoleSessionName: string; Policy: string; DurationSeconds: number }): Promise<{
    AccessKeyId?: string | undefined;
    SecretAccessKey?: string | undefined;
    SessionToken?: string | undefined;
    Expiration?: Date | undefined;
  }>;
}

export interface StsVendorOptions {
  readonly roleArn: string;
  readonly durationSeconds: number;
  readonly region: string;
  /** An S3-compatible store's STS (Ceph RGW); default AWS STS of `region`. */
  readonly endpoint?: string;
  /** The catalog's own keys (S3_ACCESS_KEY/S3_SECRET_KEY); default the SDK's chain (the Lambda role). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export function sdkAssumeRoleApi(options: StsVendorOptions): AssumeRoleApi {
  const client = new STSClient({
    region: options.region,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
  });
  return { assumeRole: async (input) => (await client.send(new AssumeRoleCommand(input))).Credentials ?? {} };
}

/**
 * Vends credentials by AssumeRole of the data-access role with an inline session policy scoped to
 * the table's location (session-policy.ts): what they can do is the intersection of the role's
 * policy and that one. An STS failure is a 503 whose message names the table, not the credentials
 * or the STS answer; the STS error stays in the log as the cause (it carries the request id).
 */
export class StsCredentialVendor implements CredentialVendor {
  constructor(
    private readonly options: Pick<StsVendorOptions, 'roleArn' | 'durationSeconds'>,
    private readonly sts: AssumeRoleApi,
  ) {}

  async vend(request: VendRequest): Promise<VendedCredentials> {
    const Policy = sessionPolicyText(request.prefix, request.level);
    let answer: Awaited<ReturnType<AssumeRoleApi['assumeRole']>>;
    try {
      answer = await this.sts.assumeRole({ RoleArn: this.options.roleArn, RoleSessionName: roleSessionName(request.caller), Policy, DurationSeconds: this.options.durationSeconds });
    } catch (error) {
      const name = error instanceof Error ? error.name : 'error';
      throw new ServiceUnavailableError(`Could not vend credentials for s3://${request.prefix.bucket}/${request.prefix.key.slice(0, 200)}: STS AssumeRole failed (${name})`, { cause: error });
    }
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = answer;
    if (AccessKeyId === undefined || SecretAccessKey === undefined || SessionToken === undefined || Expiration === undefined) {
      throw new ServiceUnavailableError(`Could not vend credentials for s3://${request.prefix.bucket}/${request.prefix.key.slice(0, 200)}: STS answered without credentials`);
    }
    return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiresAtMs: Expiration.getTime() };
  }
}
