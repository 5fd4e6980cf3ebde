import { isJsonObject, type JsonValue } from '../../json/lossless-json.js';
import type { CatalogContext } from '../context.js';

/**
 * One folder at a time per table: writers that find the table quiet take this lease before folding,
 * so that they do not split the waiting intents between them and race each other for the swap. It
 * is only an optimisation: intents' claims keep every fold correct with or without it, a lease
 * expires on its own (a folder that stopped holds nobody up for long), and releasing it is a plain
 * delete (stores without conditional DELETE may drop a successor's lease: one extra fold, no harm).
 */
interface Lease {
  readonly untilMs: number;
}

function readLease(value: JsonValue): Lease {
  const until = isJsonObject(value) ? value['until-ms'] : undefined;
  return { untilMs: typeof until === 'number' ? until : 0 };
}

export async function tryFoldLease(ctx: CatalogContext, key: string, ttlMs: number): Promise<boolean> {
  const lease = { holder: ctx.newUuid(), 'until-ms': ctx.clock.now() + ttlMs };
  const created = await ctx.records.create(key, lease);
  if (created.ok) return true;
  if (created.reason !== 'precondition-failed') return false;
  const current = await ctx.records.read(key, readLease).catch(() => undefined);
  if (current === undefined || current.value.untilMs > ctx.clock.now()) return false;
  const taken = await ctx.records.replace(key, lease, current.etag);
  return taken.ok;
}

export async function releaseFoldLease(ctx: CatalogContext, key: string): Promise<void> {
  await ctx.records.delete(key).catch(() => undefined);
}
