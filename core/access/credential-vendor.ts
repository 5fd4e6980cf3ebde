import type { AccessLevel, S3Prefix } from './session-policy.js';

/** Temporary S3 credentials. Secrets: never logged, audited or put in an error message. */
export interface VendedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  /** When they stop working (epoch ms). */
  readonly expiresAtMs: number;
}

export interface VendRequest {
  /** The table's location: the only keys the credentials may touch. */
  readonly prefix: S3Prefix;
  readonly level: AccessLevel;
  /** Who asked (a principal label), for the role session name. Not part of the scope. */
  readonly caller: string;
}

/**
 * The port that turns "this caller may read (or write) this table" into storage credentials scoped
 * to the table's location. Adapters: StsCredentialVendor (AssumeRole with a session policy);
 * CachingCredentialVendor wraps one so that a warm container reuses credentials.
 */
export interface CredentialVendor {
  vend(request: VendRequest): Promise<VendedCredentials>;
}
