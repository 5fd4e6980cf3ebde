import assert from 'node:assert/strict';
import type { CatalogResponse } from './catalog-harness.js';

/** Asserts the spec's error model: `{"error": {"message", "type", "code"}}` with code = status. */
export function assertError(response: CatalogResponse, status: number, type?: string, messagePart?: string): void {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${response.text}`);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  const body = response.body as { error?: { message?: unknown; type?: unknown; code?: unknown } } | undefined;
  assert.ok(body?.error, `no error object in ${response.text}`);
  assert.equal(typeof body.error.message, 'string');
  assert.equal(typeof body.error.type, 'string');
  assert.equal(body.error.code, status);
  assert.deepEqual(Object.keys(body).sort(), ['error']);
  if (type !== undefined) assert.equal(body.error.type, type);
  if (messagePart !== undefined) assert.ok(String(body.error.message).includes(messagePart), `message '${String(body.error.message)}' lacks '${messagePart}'`);
}

export function assertStatus(response: CatalogResponse, status: number): void {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${response.text}`);
}
