/**
 * The storage refused the request itself (no access, no such bucket): the location is the client's
 * mistake. The store may wrap the SDK's error, so the whole cause chain is examined.
 */
export function isRefusedByStorage(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const status = (current as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const name = (current as { name?: string }).name;
    if ((status !== undefined && status >= 400 && status < 500) || name === 'CredentialsProviderError' || name === 'NoSuchBucket') return true;
  }
  return false;
}
