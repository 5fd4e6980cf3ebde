import { unescapeName } from '../store/catalog-keys.js';
import { listAll } from '../store/object-store.js';
import type { CatalogContext } from './context.js';
import { decodePageToken, DEFAULT_PAGE_SIZE, encodePageToken } from './page-token.js';

export interface Paging {
  /** Absent: return everything in one answer. Empty: the first page. */
  readonly pageToken?: string;
  readonly pageSize?: number;
}

export interface NamePage {
  readonly names: string[];
  /** null on the last page, as the spec requires of servers that paginate. */
  readonly nextPageToken: string | null;
}

/**
 * The names directly under a listing prefix, in store order, one S3 listing call per page. Child
 * namespaces are common prefixes (`…/n=<name>/`); tables and views are objects (`…/t=<name>`).
 */
export interface NameListing {
  readonly prefix: string;
  readonly entries: 'folders' | 'objects';
  /** Tags page tokens so a token from one kind of listing is refused by another. */
  readonly tokenKind: string;
}

function escapedNames(listing: NameListing, page: { objects: readonly { key: string }[]; commonPrefixes: readonly string[] }): string[] {
  if (listing.entries === 'folders') return page.commonPrefixes.map((p) => p.slice(listing.prefix.length, -1));
  return page.objects.map((o) => o.key.slice(listing.prefix.length)).filter((name) => !name.includes('/'));
}

/** For folders, `<name>0` sorts after everything inside `<name>/` and before any later sibling. */
function startAfterFor(listing: NameListing, escapedName: string): string {
  return listing.entries === 'folders' ? `${listing.prefix}${escapedName}0` : `${listing.prefix}${escapedName}`;
}

export async function listNames(ctx: CatalogContext, listing: NameListing, paging: Paging): Promise<NamePage> {
  const base = { prefix: listing.prefix, delimiter: '/' };
  if (paging.pageToken === undefined) {
    const names: string[] = [];
    for await (const page of listAll(ctx.records.objects, base)) names.push(...escapedNames(listing, page));
    return { names: names.map(unescapeName), nextPageToken: null };
  }
  const after = paging.pageToken === '' ? undefined : decodePageToken(listing.tokenKind, paging.pageToken);
  const page = await ctx.records.objects.list({
    ...base,
    maxKeys: paging.pageSize ?? DEFAULT_PAGE_SIZE,
    ...(after !== undefined ? { startAfter: startAfterFor(listing, after) } : {}),
  });
  const names = escapedNames(listing, page);
  const last = names.at(-1);
  const more = page.nextContinuationToken !== undefined && last !== undefined;
  return { names: names.map(unescapeName), nextPageToken: more ? encodePageToken(listing.tokenKind, last) : null };
}
