import type { CatalogConfig } from '../config.js';
import { CachingCredentialVendor } from './caching-credential-vendor.js';
import type { CredentialVendor } from './credential-vendor.js';

/**
 * One credential vendor per configuration, i.e. per warm container (Lambda) or process (local
 * server), so its cache outlives requests. Built on first use: the STS client is loaded only by
 * a deployment that vends (CATALOG_DATA_ACCESS_ROLE_ARN), and only when a client first asks.
 */
const vendors = new WeakMap<CatalogConfig, Promise<CredentialVendor | undefined>>();

export function credentialVendorFor(config: CatalogConfig): Promise<CredentialVendor | undefined> {
  let vendor = vendors.get(config);
  if (vendor === undefined) {
    vendor = createVendor(config);
    vendors.set(config, vendor);
  }
  return vendor;
}

async function createVendor(config: CatalogConfig): Promise<CredentialVendor | undefined> {
  const { dataAccessRoleArn, vendedCredentialsSeconds, stsRegion, stsEndpoint } = config.access;
  if (dataAccessRoleArn === undefined) return undefined;
  const { StsCredentialVendor, sdkAssumeRoleApi } = await import('./sts-credential-vendor.js');
  const options = {
    roleArn: dataAccessRoleArn,
    durationSeconds: vendedCredentialsSeconds,
    region: stsRegion,
    ...(stsEndpoint !== undefined ? { endpoint: stsEndpoint } : {}),
    ...(config.s3.credentials !== undefined ? { credentials: config.s3.credentials } : {}),
  };
  return new CachingCredentialVendor(new StsCredentialVendor(options, sdkAssumeRoleApi(options)));
}

/**
 * Puts `vendor` (wrapped in the same cache as in production) behind a configuration: unit tests and
 * the bench stand in for STS at the port and count its calls. Never used by a deployed function.
 */
export function installCredentialVendor(config: CatalogConfig, vendor: CredentialVendor | undefined): void {
  vendors.set(config, Promise.resolve(vendor === undefined ? undefined : new CachingCredentialVendor(vendor)));
}
