import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { FakeKmsClient } from '../../core/crypto/testing/fake-kms-client.js';

/**
 * A KMS endpoint on 127.0.0.1 that speaks the AWS JSON protocol (`X-Amz-Target: TrentService.*`) for
 * GenerateDataKey and Decrypt, backed by the in-memory FakeKmsClient (data keys bound to the
 * encryption context, every call counted). Pointing CATALOG_KMS_ENDPOINT at it exercises the real
 * wiring: configuration, createRecordCodec, KmsKeyProvider, the AWS SDK's KMSClient and HTTP.
 * Request signatures are not checked.
 */
export interface FakeKmsServer {
  readonly url: string;
  readonly keyArn: string;
  readonly kms: FakeKmsClient;
  /** Calls answered so far, by operation (also those that failed). */
  readonly calls: { generateDataKey: number; decrypt: number };
  readonly total: number;
  close(): Promise<void>;
}

export const FAKE_KMS_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/catalog-records';

const b64 = (value: unknown): Uint8Array | undefined => (typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : undefined);
const toB64 = (value: Uint8Array | undefined): string | undefined => (value === undefined ? undefined : Buffer.from(value).toString('base64'));

async function body(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

function answer(response: ServerResponse, status: number, payload: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(payload));
}

export async function startFakeKmsServer(keyArn = FAKE_KMS_KEY_ARN): Promise<FakeKmsServer> {
  const kms = new FakeKmsClient([keyArn]);
  const server = createServer((request, response) => {
    void (async () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const input = await body(request);
      try {
        if (target === 'TrentService.GenerateDataKey') {
          const out = await kms.send(
            new GenerateDataKeyCommand({ KeyId: input['KeyId'] as string, KeySpec: 'AES_256', EncryptionContext: input['EncryptionContext'] as Record<string, string> }),
          );
          answer(response, 200, { KeyId: out.KeyId, Plaintext: toB64(out.Plaintext), CiphertextBlob: toB64(out.CiphertextBlob) });
        } else if (target === 'TrentService.Decrypt') {
          const out = await kms.send(
            new DecryptCommand({
              ...(typeof input['KeyId'] === 'string' ? { KeyId: input['KeyId'] } : {}),
              CiphertextBlob: b64(input['CiphertextBlob']) ?? new Uint8Array(),
              EncryptionContext: input['EncryptionContext'] as Record<string, string>,
            }),
          );
          answer(response, 200, { KeyId: out.KeyId, Plaintext: toB64(out.Plaintext), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
        } else {
          answer(response, 400, { __type: 'UnsupportedOperationException', message: `fake KMS: ${target} is not implemented` });
        }
      } catch (error) {
        const name = error instanceof Error ? error.name : 'KMSInternalException';
        answer(response, 400, { __type: name, message: error instanceof Error ? error.message : String(error) });
      }
    })().catch(() => answer(response, 500, { __type: 'KMSInternalException', message: 'fake KMS failed' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    keyArn,
    kms,
    calls: kms.calls,
    get total() {
      return kms.total;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
