import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { OidcConfig } from './auth-config.js';
import { JwtVerifier, MAX_TOKEN_HORIZON_SECONDS, principalFrom } from './jwt-verifier.js';
import { anAuthFixture } from './testing/fixtures.js';

/** A minimal OIDC provider: discovery document and a JWKS whose keys the test changes. */
async function anIssuer() {
  const jwks: { keys: Record<string, unknown>[] } = { keys: [] };
  let fetches = 0;
  const server = createServer((req, res) => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks` }));
    fetches++;
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const newKey = async (kid: string) => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    jwks.keys.push({ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' });
    return privateKey;
  };
  return { issuer, newKey, fetches: () => fetches, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function oidc(issuer: string): OidcConfig {
  return { issuer, audiences: ['iceberg'], algorithms: ['RS256'], principalClaim: 'sub', groupsClaim: 'groups' };
}

test('an unknown kid fetches the JWKS again, so a rotated-in key is accepted without a restart', async () => {
  const idp = await anIssuer();
  try {
    const fx = anAuthFixture();
    const verifier = new JwtVerifier({ oidc: oidc(idp.issuer), tokenIssuer: 'urn:catalog', clockSkewSeconds: 30, clock: fx.clock, secrets: fx.secrets, jwksCooldownMs: 0 });
    const sign = (key: CryptoKeyLike, kid: string) =>
      new SignJWT({ groups: ['analysts'] }).setProtectedHeader({ alg: 'RS256', kid }).setIssuer(idp.issuer).setAudience('iceberg').setSubject('alice').setIssuedAt(fx.clock.now() / 1000).setExpirationTime(fx.clock.now() / 1000 + 300).sign(key);
    const first = await idp.newKey('k1');
    assert.deepEqual(await verifier.verify(await sign(first, 'k1')), { type: 'User', id: 'alice', groups: ['analysts'], authMethod: 'oidc' });
    const fetchesBefore = idp.fetches();
    const rotated = await idp.newKey('k2');
    assert.equal((await verifier.verify(await sign(rotated, 'k2')))?.id, 'alice');
    assert.equal(idp.fetches(), fetchesBefore + 1, 'one refetch for the unknown kid');
  } finally {
    await idp.close();
  }
});

type CryptoKeyLike = Parameters<SignJWT['sign']>[0];

test('claims map to a principal by configuration; a token without the principal claim maps to none', () => {
  assert.deepEqual(principalFrom({ email: 'a@x', roles: 'r1 r2' }, 'email', 'roles', 'oidc'), { type: 'User', id: 'a@x', groups: ['r1', 'r2'], authMethod: 'oidc' });
  assert.equal(principalFrom({ sub: 'a' }, 'email', 'groups', 'oidc'), undefined);
  assert.equal(principalFrom({ sub: 'a', groups: [1, 2] }, 'sub', 'groups', 'oidc'), undefined);
  assert.deepEqual(principalFrom({ sub: 'a' }, 'sub', 'groups', 'oidc')?.groups, []);
});

test('iat in the future beyond the clock skew, and exp beyond the horizon, are refused (A11)', async () => {
  const fx = anAuthFixture();
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const issuer = 'https://idp.example';
  const verifier = new JwtVerifier({
    oidc: { ...oidc(issuer), staticKeys: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k', alg: 'RS256' }] } },
    tokenIssuer: 'urn:catalog',
    clockSkewSeconds: 30,
    clock: fx.clock,
    secrets: fx.secrets,
  });
  const now = Math.floor(fx.clock.now() / 1000);
  const sign = (iat: number | undefined, exp: number) => {
    const jwt = new SignJWT({ groups: [] }).setProtectedHeader({ alg: 'RS256', kid: 'k' }).setIssuer(issuer).setAudience('iceberg').setSubject('alice').setExpirationTime(exp);
    return (iat === undefined ? jwt : jwt.setIssuedAt(iat)).sign(privateKey);
  };
  assert.equal((await verifier.verify(await sign(now, now + 300)))?.id, 'alice', 'the baseline');
  assert.equal((await verifier.verify(await sign(now + 20, now + 300)))?.id, 'alice', 'iat ahead within the skew');
  assert.equal((await verifier.verify(await sign(undefined, now + 300)))?.id, 'alice', 'iat is optional');
  assert.equal(await verifier.verify(await sign(now + 10 * 365 * 86400, now + 10 * 365 * 86400 + 300)), undefined, 'iat ten years ahead');
  assert.equal(await verifier.verify(await sign(now, now + 100 * 365 * 86400)), undefined, 'exp a century ahead');
  assert.equal(await verifier.verify(await sign(now, now + MAX_TOKEN_HORIZON_SECONDS + 3600)), undefined, 'exp beyond the horizon');
  assert.equal((await verifier.verify(await sign(now, now + MAX_TOKEN_HORIZON_SECONDS)))?.id, 'alice', 'exp at the horizon');
});
