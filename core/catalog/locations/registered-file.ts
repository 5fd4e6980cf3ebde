import { BadRequestError } from '../../errors.js';
import type { CanonicalLocation } from './canonical-location.js';

/**
 * What a register names is a file chosen by the client. Whatever goes wrong with it (outside the
 * namespace, missing, a folder, unreadable, not JSON, not metadata, a gzip bomb, the location it
 * names outside the namespace) the answer is the same 400 with the same text: no message of a
 * parser or a store is passed on (they quote file contents), and no answer tells an existing file
 * from a missing one. The cause stays attached to the error (a debugger sees it); 4xx answers are
 * not logged with causes, so file contents reach neither the client nor the log (review C6).
 * Failures of the storage itself (throttling, timeouts) are not about the file and pass through.
 */
export class UnusableRegistrationError extends BadRequestError {}

export interface RegisteredFileAccess<T> {
  /** Canonicalises and confines a location to the destination namespace; throws when outside. */
  readonly confine: (location: string) => CanonicalLocation;
  readonly read: (location: string) => Promise<T>;
  /** The locations the file itself names (location, metadata and data folders): confined the same way. */
  readonly locationsOf: (value: T) => readonly string[];
}

function isTransientStorageFailure(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const status = (current as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status !== undefined && status >= 500) return true;
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'ECONNREFUSED' || code === 'EMFILE') return true;
  }
  return false;
}

export async function readRegisteredFile<T>(prefix: string, location: string, access: RegisteredFileAccess<T>): Promise<T> {
  const refuse = (cause: unknown): never => {
    throw new UnusableRegistrationError(`${prefix}: the metadata location is not a readable metadata file inside the namespace's location`, { cause });
  };
  let value: T;
  try {
    access.confine(location);
    value = await access.read(location);
  } catch (error) {
    if (isTransientStorageFailure(error)) throw error;
    return refuse(error);
  }
  try {
    for (const named of access.locationsOf(value)) access.confine(named);
  } catch (error) {
    return refuse(error);
  }
  return value;
}
