/**
 * How a name becomes one segment of an object key: `/`, `=`, `.`, `%` and control characters
 * inside a name can never be read as structure. The store layer knows only this, not what the
 * names mean (the catalog's key layout is core/catalog/catalog-keys.ts; the auth records' is
 * core/auth/auth-keys.ts).
 */
const SAFE = /[A-Za-z0-9_-]/;

/** Keeps ASCII letters, digits, `_`, `-` and all non-ASCII characters; %XX-escapes everything else. */
export function escapeName(name: string): string {
  let out = '';
  for (const ch of name) {
    const code = ch.codePointAt(0)!;
    if (code > 0x7f || SAFE.test(ch)) out += ch;
    else out += `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function unescapeName(escaped: string): string {
  return decodeURIComponent(escaped);
}
