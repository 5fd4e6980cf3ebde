import { BadRequestError } from '../errors.js';
import { escapeName } from '../store/key-names.js';
import type { Namespace } from './namespace.js';

/** Name escaping is the store's (one key segment per name); re-exported for the catalog's readers of keys. */
export { escapeName, unescapeName } from '../store/key-names.js';

/**
 * Where each catalog record lives (the catalog's layout; the store below knows only keys). Every name is escaped so that `/`, `=`, `.`, `%` and control
 * characters inside a name can never be read as structure:
 *
 *   <prefix>/wh/<warehouse>/n=<a>/n=<b>/_ns     namespace record
 *   <prefix>/wh/<warehouse>/n=<a>/t=<table>    table pointer
 *   <prefix>/wh/<warehouse>/n=<a>/v=<view>     view pointer
 *   <prefix>/wh/<warehouse>/tx/<id>           multi-object transaction record
 *   <prefix>/wh/<warehouse>/idem/<digest>     idempotency receipt
 *   <prefix>/wh/<warehouse>/gc/<table-uuid>/<name>  group-commit intent (keyed by uuid: survives renames)
 *
 * Children of a namespace are one listing away (`…/n=<a>/n=`, delimiter `/`), tables `…/t=`.
 */
export const NAMESPACE_RECORD = '_ns';
export const CHILD_NAMESPACE_MARK = 'n=';
export const TABLE_MARK = 't=';
export const VIEW_MARK = 'v=';

/** S3 keys are at most 1024 UTF-8 bytes; leave room for a deployment's own key prefix. */
export const MAX_CATALOG_KEY_BYTES = 900;

export class CatalogKeys {
  constructor(private readonly keyPrefix: string) {}

  private root(warehouse: string): string {
    const base = `wh/${escapeName(warehouse)}/`;
    return this.keyPrefix === '' ? base : `${this.keyPrefix}/${base}`;
  }

  /** Folder that holds a namespace's record, its tables, views and child namespaces. */
  namespaceFolder(warehouse: string, namespace: Namespace): string {
    return checkLength(this.root(warehouse) + namespace.map((level) => `${CHILD_NAMESPACE_MARK}${escapeName(level)}/`).join(''));
  }

  namespaceRecord(warehouse: string, namespace: Namespace): string {
    return checkLength(this.namespaceFolder(warehouse, namespace) + NAMESPACE_RECORD);
  }

  /** Listing prefix of the namespaces directly under `parent` (top level when undefined). */
  childNamespacesPrefix(warehouse: string, parent: Namespace | undefined): string {
    const folder = parent === undefined ? this.root(warehouse) : this.namespaceFolder(warehouse, parent);
    return folder + CHILD_NAMESPACE_MARK;
  }

  tablePointer(warehouse: string, namespace: Namespace, table: string): string {
    return checkLength(this.namespaceFolder(warehouse, namespace) + TABLE_MARK + escapeName(table));
  }

  viewPointer(warehouse: string, namespace: Namespace, view: string): string {
    return checkLength(this.namespaceFolder(warehouse, namespace) + VIEW_MARK + escapeName(view));
  }

  /** A multi-object transaction record: the single commit point of a transaction or rename. */
  transaction(warehouse: string, id: string): string {
    return `${this.root(warehouse)}tx/${escapeName(id)}`;
  }

  /** Listing prefix of every transaction record of a warehouse (for the sweeper). */
  transactionsPrefix(warehouse: string): string {
    return `${this.root(warehouse)}tx/`;
  }

  /** Listing prefix of every namespace folder of a warehouse, all levels (for the sweeper). */
  namespacesPrefix(warehouse: string): string {
    return this.root(warehouse) + CHILD_NAMESPACE_MARK;
  }

  /** The stored first answer for an Idempotency-Key (digest of caller, method, path and key). */
  idempotencyReceipt(warehouse: string, digest: string): string {
    return `${this.root(warehouse)}idem/${digest}`;
  }

  /** Listing prefix of every group-commit intent and fold lease of a warehouse (for the sweeper). */
  groupCommitPrefix(warehouse: string): string {
    return `${this.root(warehouse)}gc/`;
  }

  /** Listing prefix of the commit intents waiting beside one table (group commit). */
  intentsPrefix(warehouse: string, tableUuid: string): string {
    return `${this.root(warehouse)}gc/${escapeName(tableUuid)}/`;
  }

  /** Held by the one writer folding a table's intents (a hint that saves wasted folds, not a lock). */
  foldLease(warehouse: string, tableUuid: string): string {
    return `${this.root(warehouse)}gc/${escapeName(tableUuid)}.lease`;
  }

  intent(warehouse: string, tableUuid: string, name: string): string {
    return this.intentsPrefix(warehouse, tableUuid) + escapeName(name);
  }

  tablesPrefix(warehouse: string, namespace: Namespace): string {
    return this.namespaceFolder(warehouse, namespace) + TABLE_MARK;
  }

  viewsPrefix(warehouse: string, namespace: Namespace): string {
    return this.namespaceFolder(warehouse, namespace) + VIEW_MARK;
  }
}

function checkLength(key: string): string {
  if (Buffer.byteLength(key, 'utf8') > MAX_CATALOG_KEY_BYTES) {
    throw new BadRequestError('Identifier too long: namespace and name together exceed the catalog key size limit');
  }
  return key;
}
