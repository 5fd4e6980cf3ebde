import { unescapeName } from './catalog-keys.js';
import { mapLimit } from '../map-limit.js';
import { listAll, type ListPage } from '../store/object-store.js';
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
  /**
   * Drops entries that do not stand for a live object (a pointer in transition, a folder left
   * without its record), so a listing never shows a name that loads as 404. Pages may then be
   * shorter than asked; the token still points past the last entry listed.
   */
  readonly keep?: (entry: ListedEntry) => Promise<boolean>;
}

/** An entry as the store listed it: an object (with its size) or a folder (`…/`). */
export interface ListedEntry {
  readonly key: string;
  readonly size?: number;
}

/** Reads made at once to decide which entries of one page to keep. */
const KEEP_CONCURRENCY = 16;

function listedEntries(listing: NameListing, page: ListPage): (ListedEntry & { readonly name: string })[] {
  if (listing.entries === 'folders') return page.commonPrefixes.map((key) => ({ key, name: key.slice(listing.prefix.length, -1) }));
  return page.objects
    .map((o) => ({ key: o.key, size: o.size, name: o.key.slice(listing.prefix.length) }))
    .filter((entry) => !entry.name.includes('/'));
}

async function keptNames(listing: NameListing, page: ListPage): Promise<{ names: string[]; lastListed: string | undefined }> {
  const entries = listedEntries(listing, page);
  const keep = listing.keep;
  const flags = keep === undefined ? undefined : await mapLimit(entries, KEEP_CONCURRENCY, keep);
  const kept = flags === undefined ? entries : entries.filter((_, i) => flags[i]);
  return { names: kept.map((e) => e.name), lastListed: entries.at(-1)?.name };
}

/** For folders, `<name>0` sorts after everything inside `<name>/` and before any later sibling. */
function startAfterFor(listing: NameListing, escapedName: string): string {
  return listing.entries === 'folders' ? `${listing.prefix}${escapedName}0` : `${listing.prefix}${escapedName}`;
}

export async function listNames(ctx: CatalogContext, listing: NameListing, paging: Paging): Promise<NamePage> {
  const base = { prefix: listing.prefix, delimiter: '/' };
  if (paging.pageToken === undefined) {
    const names: string[] = [];
    for await (const page of listAll(ctx.records.objects, base)) names.push(...(await keptNames(listing, page)).names);
    return { names: names.map(unescapeName), nextPageToken: null };
  }
  const after = paging.pageToken === '' ? undefined : decodePageToken(listing.tokenKind, paging.pageToken);
  const page = await ctx.records.objects.list({
    ...base,
    maxKeys: paging.pageSize ?? DEFAULT_PAGE_SIZE,
    ...(after !== undefined ? { startAfter: startAfterFor(listing, after) } : {}),
  });
  const { names, lastListed } = await keptNames(listing, page);
  const more = page.nextContinuationToken !== undefined && lastListed !== undefined;
  return { names: names.map(unescapeName), nextPageToken: more ? encodePageToken(listing.tokenKind, lastListed) : null };
}
