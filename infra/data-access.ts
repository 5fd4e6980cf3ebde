import { createHash } from 'node:crypto';
import { ROUTE_FUNCTIONS, type FunctionSpec } from './functions.js';
import { WAREHOUSE_OBJECT_GRANTS, type Grant } from './permissions.js';

/**
 * The data-access role, as plain data: vended credentials are sessions of this role, each narrowed at
 * run time by a session policy to one table's prefix and access level (core/access). The role itself
 * may do no more than the S3 object actions on the warehouse bucket, and only the functions that
 * vend may assume it. `sst.config.ts` creates it from these values; the unit tests check them.
 */

/** The role's own rights: the table-file actions on the warehouse bucket, nothing on the catalog bucket. */
export const DATA_ACCESS_ROLE_GRANTS: readonly Grant[] = WAREHOUSE_OBJECT_GRANTS;

/** The functions whose roles the trust policy names: live routes that vend credentials (infra/permissions.ts). */
export function vendingFunctions(functions: readonly FunctionSpec[] = ROUTE_FUNCTIONS): FunctionSpec[] {
  return functions.filter((f) => f.access.includes('vends-credentials'));
}

/**
 * A session assumed by a Lambda function is role chaining, which AWS caps at one hour whatever the
 * role's MaxSessionDuration: vended credentials can live at most this long on AWS.
 */
export const MAX_CHAINED_SESSION_SECONDS = 3600;
/** STS's shortest session. */
export const MIN_SESSION_SECONDS = 900;

/** IAM role names: at most 64 characters of `[\w+=,.@-]`. */
const MAX_ROLE_NAME = 64;

/**
 * The role's name is fixed, not generated, so that its ARN is known before it exists: the vending
 * functions' policies and environment name it, and its trust policy names their roles. With a
 * generated name the two would depend on each other. IAM is global, so the region is part of it.
 */
export function dataAccessRoleName(app: string, stage: string, region: string): string {
  const name = `${app}-${stage}-${region}-data-access`.replace(/[^\w+=,.@-]/g, '-');
  if (name.length <= MAX_ROLE_NAME) return name;
  const digest = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_ROLE_NAME - digest.length - 1)}-${digest}`;
}

export function roleArn(partition: string, accountId: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:role/${name}`;
}

export interface TrustPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly { readonly Effect: 'Allow'; readonly Principal: { readonly AWS: readonly string[] }; readonly Action: 'sts:AssumeRole' }[];
}

/**
 * Trusts exactly the given roles (the vending functions' execution roles), for AssumeRole only: no
 * account root (which would let any identity policy in the account grant it), no TagSession (the
 * vendor passes no session tags), no other service.
 */
export function dataAccessTrustPolicy(vendingRoleArns: readonly string[]): TrustPolicy {
  if (vendingRoleArns.length === 0) throw new Error('the data-access role must trust at least one vending function');
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: [...new Set(vendingRoleArns)].sort() }, Action: 'sts:AssumeRole' }] };
}
