/**
 * Property names, ref names and map keys come from clients. A plain `record[key]` lookup would find
 * inherited members for keys such as `__proto__` or `constructor`, so every engine lookup of a
 * client-chosen key goes through this helper.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function hasOwnKey(record: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.hasOwn(record, key);
}

/** Builds a record with define semantics, so a `__proto__` key becomes data, never a prototype. */
export function recordFromEntries<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  return Object.fromEntries(entries) as Record<string, T>;
}
