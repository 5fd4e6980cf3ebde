import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceUnavailableError } from '../errors.js';
import { StsCredentialVendor, type AssumeRoleApi } from './sts-credential-vendor.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
const TOKEN = 'FwoGZXIvYXdzEBYaDSESSIONTOKEN';

function stubSts(fail?: Error) {
  const inputs: Parameters<AssumeRoleApi['assumeRole']>[0][] = [];
  const api: AssumeRoleApi = {
    async assumeRole(input) {
      inputs.push(input);
      if (fail !== undefined) throw fail;
      return { AccessKeyId: 'ASIAEXAMPLE', SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: new Date(1_700_000_000_000) };
    },
  };
  return { api, inputs };
}

const request = { prefix: { bucket: 'lake', key: 'wh/sales/t1' }, level: 'read-only' as const, caller: 'user:alice' };

test('assumes the data-access role with the table-scoped session policy, duration and a session name from the caller', async () => {
  const { api, inputs } = stubSts();
  const vendor = new StsCredentialVendor({ roleArn: 'arn:aws:iam::123456789012:role/data', durationSeconds: 1800 }, api);
  const got = await vendor.vend(request);
  assert.deepEqual(got, { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN, expiresAtMs: 1_700_000_000_000 });
  const [input] = inputs;
  assert.equal(input?.RoleArn, 'arn:aws:iam::123456789012:role/data');
  assert.equal(input?.DurationSeconds, 1800);
  assert.equal(input?.RoleSessionName, 'iceberg-user-alice');
  const policy = JSON.parse(input!.Policy) as { Statement: { Action: string[]; Resource: string[] }[] };
  assert.deepEqual(policy.Statement[0]?.Resource, ['arn:aws:s3:::lake/wh/sales/t1/*']);
  assert.ok(!input!.Policy.includes('s3:PutObject'), 'read-only has no write');
});

test('an STS failure is a 503 naming the table, with the STS error as the cause only', async () => {
  const { api } = stubSts(Object.assign(new Error('User is not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' }));
  const vendor = new StsCredentialVendor({ roleArn: 'arn:aws:iam::123456789012:role/data', durationSeconds: 900 }, api);
  await assert.rejects(vendor.vend(request), (e: unknown) => e instanceof ServiceUnavailableError && e.status === 503 && e.message.includes('s3://lake/wh/sales/t1') && e.message.includes('AccessDenied'));
});

test('an STS answer without credentials is a 503, not credentials with holes', async () => {
  const api: AssumeRoleApi = { assumeRole: async () => ({ AccessKeyId: 'ASIA' }) };
  await assert.rejects(new StsCredentialVendor({ roleArn: 'arn:aws:iam::1:role/r', durationSeconds: 900 }, api).vend(request), ServiceUnavailableError);
});
