import { BadRequestError, ForbiddenError } from '../../errors.js';

/**
 * The keys a DeleteObjects body names. The catalog signs the body's SHA-256 (so the body sent must
 * be this one) and checks every key against the table, which means it must read the keys exactly as
 * S3 will. So the body is read by a strict grammar of what SDKs send, not by a lenient XML parser:
 * `<?xml …?>`, `<Delete xmlns="…">`, `<Quiet>`, and `<Object><Key>…</Key></Object>` with the five
 * predefined entities and character references. Anything else (comments, CDATA, a DOCTYPE,
 * `<VersionId>` or any other element) is refused rather than interpreted.
 */
export const MAX_DELETE_OBJECTS_BODY = 2 * 1024 * 1024;
/** S3 deletes at most 1,000 keys per request. */
export const MAX_DELETE_OBJECTS_KEYS = 1000;

const TOKEN = /\s*(?:<\?xml[^?<>]*\?>|<Delete(?:\s+xmlns="[^"<>&]*")?\s*>|<\/Delete>|<Quiet>(?:true|false)<\/Quiet>|<Object>\s*<Key>([^<]*)<\/Key>\s*<\/Object>)/y;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  // XML parsers normalise raw line breaks and reject a bare '&': S3 would read such a key differently.
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new ForbiddenError('Not signed: a DeleteObjects key has raw control characters');
  if (text.replace(ENTITY, '').includes('&')) throw new BadRequestError("Invalid DeleteObjects body: a bare '&' in a key");
  return text.replace(ENTITY, (_m, named: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (named !== undefined) return NAMED[named]!;
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex!, 16);
    if (code > 0x10ffff || code < 0x20 || code === 0x7f) throw new ForbiddenError('Not signed: a DeleteObjects key has a character reference the signer does not accept');
    return String.fromCodePoint(code);
  });
}

export function deleteObjectsKeys(body: string): string[] {
  if (body.length > MAX_DELETE_OBJECTS_BODY) throw new BadRequestError(`Invalid DeleteObjects body: longer than ${MAX_DELETE_OBJECTS_BODY} characters`);
  const keys: string[] = [];
  let opened = false;
  let closed = false;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    const at = TOKEN.lastIndex;
    if (/^\s*$/.test(body.slice(at))) break;
    const match = TOKEN.exec(body);
    if (match === null || closed) throw new ForbiddenError(`Not signed: the DeleteObjects body has content the signer does not accept near character ${at}`);
    const token = match[0].trim();
    if (token.startsWith('<?xml')) {
      if (at !== 0 || opened) throw new ForbiddenError('Not signed: misplaced XML declaration in the DeleteObjects body');
    } else if (token.startsWith('<Delete')) {
      if (opened) throw new ForbiddenError('Not signed: nested <Delete> in the DeleteObjects body');
      opened = true;
    } else if (token === '</Delete>') {
      if (!opened) throw new ForbiddenError('Not signed: </Delete> before <Delete>');
      closed = true;
    } else if (!opened) {
      throw new ForbiddenError('Not signed: DeleteObjects content outside <Delete>');
    } else if (match[1] !== undefined) {
      keys.push(unescapeXml(match[1]));
      if (keys.length > MAX_DELETE_OBJECTS_KEYS) throw new ForbiddenError(`Not signed: more than ${MAX_DELETE_OBJECTS_KEYS} keys in one DeleteObjects`);
    }
  }
  if (!closed) throw new ForbiddenError('Not signed: the DeleteObjects body is not a complete <Delete> document');
  if (keys.length === 0) throw new ForbiddenError('Not signed: the DeleteObjects body names no key');
  return keys;
}
