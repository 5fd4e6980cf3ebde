import { AlreadyExistsError, CommitFailedError, CommitStateUnknownError, type BadRequestError, type NoSuchTableError } from '../../errors.js';
import { commit, nextMetadataLocation, type TableMetadata, type TableRequirement, type TableUpdate } from '../../metadata/index.js';
import type { CatalogContext } from '../context.js';
import { pointerToJson } from '../pointers/object-pointer.js';
import { createPointer, readPointer } from '../pointers/pointer-protocol.js';
import { requireNamespace } from '../namespaces/namespace-lookup.js';
import { resolveWarehouse } from '../context.js';
import { defaultTableLocation } from './table-location.js';
import { pause } from '../retry.js';
import { findTablePointer, formatIdentifier, noSuchTable, type TableIdentifier } from './table-lookup.js';

/** Matches the Java client's commit.retry.num-retries default plus headroom for many writers. */
export const MAX_COMMIT_ATTEMPTS = 10;

export interface CommitOutcome {
  readonly metadataLocation: string;
  readonly metadata: TableMetadata;
  readonly etag?: string;
  /** How many lost pointer swaps the server re-applied the updates after. */
  readonly serverRetries: number;
}

export type CommitTableError = NoSuchTableError | CommitFailedError | CommitStateUnknownError | BadRequestError;

/**
 * GET pointer → check requirements and apply updates on its metadata → PUT the new metadata file
 * (If-None-Match: *) → PUT the pointer (If-Match). A lost swap is retried on the new base as long
 * as the requirements still hold there (server-side retry, bounded and jittered); a failed
 * requirement is a 409. When the store cannot say whether our swap landed, the pointer is read
 * again and decides.
 */
export async function commitTable(
  ctx: CatalogContext,
  warehouse: string,
  id: TableIdentifier,
  requirements: readonly TableRequirement[],
  updates: readonly TableUpdate[],
): Promise<CommitOutcome> {
  for (let attempt = 0; attempt < MAX_COMMIT_ATTEMPTS; attempt++) {
    const found = await findTablePointer(ctx, warehouse, id);
    if (found === undefined) {
      if (requirements.some((r) => r.type === 'assert-create')) return createThroughCommit(ctx, warehouse, id, requirements, updates);
      throw noSuchTable(id);
    }
    const { key, pointer } = found;
    const base = await ctx.metadataFiles.read(pointer.value.metadataLocation);
    const result = commit(base, requirements, updates, {
      now: ctx.clock.now(),
      newUuid: ctx.newUuid,
      previousMetadataLocation: pointer.value.metadataLocation,
    });
    if (result.changes.length === 0) {
      return { metadataLocation: pointer.value.metadataLocation, metadata: base, etag: pointer.etag, serverRetries: attempt };
    }
    const metadataLocation = nextMetadataLocation(result.metadata, pointer.value.metadataLocation, ctx.newUuid());
    await ctx.metadataFiles.write(metadataLocation, result.metadata);
    const swapped = await ctx.records.replace(key, pointerToJson({ ...pointer.value, metadataLocation }), pointer.etag);
    if (swapped.ok) {
      await removeExpiredMetadata(ctx, result.metadata, result.expiredMetadataLog);
      return { metadataLocation, metadata: result.metadata, etag: swapped.etag, serverRetries: attempt };
    }
    if (swapped.reason === 'unknown' && (await landed(ctx, key, metadataLocation))) {
      return { metadataLocation, metadata: result.metadata, serverRetries: attempt };
    }
    await ctx.metadataFiles.discard(metadataLocation);
    await pause(ctx, attempt);
  }
  throw new CommitFailedError(`Commit failed: ${formatIdentifier(id)} changed concurrently ${MAX_COMMIT_ATTEMPTS} times; retry`);
}

/** After an unknown swap outcome: did our file become current, or an ancestor of the current one? */
async function landed(ctx: CatalogContext, key: string, metadataLocation: string): Promise<boolean> {
  const now = await readPointer(ctx, key);
  if (now === undefined) throw new CommitStateUnknownError(`Commit state unknown: the table pointer disappeared during the commit`);
  if (now.value.metadataLocation === metadataLocation) return true;
  const current = await ctx.metadataFiles.read(now.value.metadataLocation);
  return current.metadataLog.some((entry) => entry.metadataFile === metadataLocation);
}

/** `write.metadata.delete-after-commit.enabled`: best effort, after the swap, never failing the commit. */
async function removeExpiredMetadata(ctx: CatalogContext, metadata: TableMetadata, expired: readonly { readonly metadataFile: string }[]): Promise<void> {
  if (metadata.properties['write.metadata.delete-after-commit.enabled'] !== 'true') return;
  await Promise.all(expired.map((entry) => ctx.metadataFiles.discard(entry.metadataFile)));
}

/**
 * The second half of a staged create (`stage-create`, then a commit with `assert-create`): build
 * version 0 from the updates and create the table as createTable does. The metadata log stays empty.
 */
async function createThroughCommit(
  ctx: CatalogContext,
  warehouse: string,
  id: TableIdentifier,
  requirements: readonly TableRequirement[],
  updates: readonly TableUpdate[],
): Promise<CommitOutcome> {
  const ns = await requireNamespace(ctx, warehouse, id.namespace);
  const defaultLocation = defaultTableLocation(resolveWarehouse(ctx.config, warehouse).location, id.namespace, ns.value.properties, id.name);
  const { metadata } = commit(undefined, requirements, updates, { now: ctx.clock.now(), newUuid: ctx.newUuid, defaultLocation });
  const metadataLocation = nextMetadataLocation(metadata, undefined, ctx.newUuid());
  await ctx.metadataFiles.write(metadataLocation, metadata);
  try {
    const { etag } = await createPointer(ctx, warehouse, id.namespace, id.name, { kind: 'table', uuid: metadata.tableUuid, metadataLocation });
    return { metadataLocation, metadata, etag, serverRetries: 0 };
  } catch (error) {
    await ctx.metadataFiles.discard(metadataLocation);
    if (error instanceof AlreadyExistsError && error.message.startsWith('Table already exists')) {
      throw new CommitFailedError('Requirement failed: table already exists', { cause: error });
    }
    throw error;
  }
}
