import type { NoSuchNamespaceError } from '../../errors.js';
import type { CatalogContext } from '../context.js';
import type { Namespace } from '../namespace.js';
import { listNames, type Paging } from '../paged-listing.js';
import { NAMESPACE_RECORD } from '../catalog-keys.js';
import { requireNamespace } from './namespace-lookup.js';

export interface NamespacePage {
  readonly namespaces: Namespace[];
  readonly nextPageToken: string | null;
}

export type ListNamespacesError = NoSuchNamespaceError;

/** Direct children of `parent` (top level when undefined), as full namespaces. */
export async function listNamespaces(
  ctx: CatalogContext,
  warehouse: string,
  parent: Namespace | undefined,
  paging: Paging,
): Promise<NamespacePage> {
  if (parent !== undefined) await requireNamespace(ctx, warehouse, parent);
  const page = await listNames(
    ctx,
    {
      prefix: ctx.keys.childNamespacesPrefix(warehouse, parent),
      entries: 'folders',
      tokenKind: 'ns',
      // A folder can outlive its record (a pointer left behind in a dropped namespace): not a namespace.
      keep: async (entry) => (await ctx.records.objects.get(entry.key + NAMESPACE_RECORD)) !== undefined,
    },
    paging,
  );
  return { namespaces: page.names.map((name) => [...(parent ?? []), name]), nextPageToken: page.nextPageToken };
}
