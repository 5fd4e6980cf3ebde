import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

/**
 * A minimal OpenID provider for tests: discovery document, a JWKS, and a signer. Started before the
 * catalog so its URL can go into CATALOG_OIDC_ISSUER.
 */
export interface TestOidcProvider {
  readonly issuer: string;
  readonly kid: string;
  /** The RSA public key in PEM, for key-confusion attacks. */
  readonly publicKeyPem: string;
  /** A token signed with the provider's key; `claims` override the defaults (sub alice, aud iceberg, 5 minutes). */
  sign(claims?: JWTPayload, header?: { kid?: string }): Promise<string>;
  /** A token signed with a key the provider never published. */
  signWithUnpublishedKey(claims?: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

export const OIDC_AUDIENCE = 'iceberg';

type SigningKey = Parameters<SignJWT['sign']>[0];

export async function startOidcProvider(): Promise<TestOidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  const kid = 'test-key-1';
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] };
  let issuer = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks.json` }));
    else if (req.url === '/jwks.json') res.end(JSON.stringify(jwks));
    else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const build = (claims: JWTPayload, keyId: string, key: SigningKey) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ sub: 'alice', iss: issuer, aud: OIDC_AUDIENCE, iat: now, exp: now + 300, ...claims }).setProtectedHeader({ alg: 'RS256', kid: keyId, typ: 'JWT' }).sign(key);
  };
  return {
    issuer,
    kid,
    publicKeyPem: await exportSPKI(publicKey),
    sign: (claims = {}, header = {}) => build(claims, header.kid ?? kid, privateKey),
    signWithUnpublishedKey: (claims = {}) => build(claims, 'unknown-kid', other.privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
