import { BadRequestError } from '../errors.js';

/** Iceberg namespace: a non-empty list of levels, outermost first. */
export type Namespace = readonly string[];

export const MAX_NAMESPACE_DEPTH = 16;
/** Characters per level or object name; the escaped store key must also fit S3's 1024-byte limit. */
export const MAX_NAME_LENGTH = 255;

// Control characters would be invisible in logs and are the namespace separator itself.
const CONTROL = /[\u0000-\u001f\u007f]/;

export function validateName(name: unknown, what: string): string {
  if (typeof name !== 'string') throw new BadRequestError(`Invalid ${what}: expected a string`);
  if (name.length === 0) throw new BadRequestError(`Invalid ${what}: must not be empty`);
  if (name.length > MAX_NAME_LENGTH) throw new BadRequestError(`Invalid ${what}: longer than ${MAX_NAME_LENGTH} characters`);
  if (CONTROL.test(name)) throw new BadRequestError(`Invalid ${what}: control characters are not allowed`);
  if (!name.isWellFormed()) throw new BadRequestError(`Invalid ${what}: not valid Unicode`);
  return name;
}

export function validateNamespace(levels: unknown): Namespace {
  if (!Array.isArray(levels)) throw new BadRequestError('Invalid namespace: expected an array of strings');
  if (levels.length === 0) throw new BadRequestError('Invalid namespace: must have at least one level');
  if (levels.length > MAX_NAMESPACE_DEPTH) throw new BadRequestError(`Invalid namespace: deeper than ${MAX_NAMESPACE_DEPTH} levels`);
  return levels.map((level, i) => validateName(level, `namespace level ${i + 1}`));
}

/** The form Iceberg prints in messages: levels joined by `.`. */
export function formatNamespace(namespace: Namespace): string {
  return namespace.join('.');
}

export function sameNamespace(a: Namespace, b: Namespace): boolean {
  return a.length === b.length && a.every((level, i) => level === b[i]);
}
