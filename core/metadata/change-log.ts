/**
 * The changes a commit has made so far, as a persistent list: appending is O(1) and shares the
 * earlier entries, so applying N updates costs O(N) instead of copying an array on every update
 * (F6: 10,000 updates took 15 s). Drafts stay immutable: an earlier draft never sees a later change.
 *
 * A draft's `changes` array is materialised on first read and cached; the engine itself walks the
 * list (`someChange`) and never materialises it while updates are applied.
 */
export interface ChangeLog<T> {
  readonly last: T;
  readonly previous: ChangeLog<T> | undefined;
  readonly size: number;
}

/** Counts list nodes created and arrays materialised, so tests can assert linear work without clocks. */
export const changeLogCounters = { appended: 0, materialised: 0, materialisedItems: 0 };

export function appendChange<T>(log: ChangeLog<T> | undefined, item: T): ChangeLog<T> {
  changeLogCounters.appended += 1;
  return { last: item, previous: log, size: (log?.size ?? 0) + 1 };
}

export function someChange<T>(log: ChangeLog<T> | undefined, predicate: (item: T) => boolean): boolean {
  for (let node = log; node !== undefined; node = node.previous) {
    if (predicate(node.last)) return true;
  }
  return false;
}

export function changeLogToArray<T>(log: ChangeLog<T> | undefined): readonly T[] {
  const items = new Array<T>(log?.size ?? 0);
  let index = items.length - 1;
  for (let node = log; node !== undefined; node = node.previous) items[index--] = node.last;
  changeLogCounters.materialised += 1;
  changeLogCounters.materialisedItems += items.length;
  return items;
}

/**
 * Base of the table and view drafts: `changes` is a prototype getter that materialises the list
 * once and caches it; the engine itself reads `changeLog`.
 */
export abstract class ChangeLogged<T> {
  #cached: readonly T[] | undefined;
  protected constructor(readonly changeLog: ChangeLog<T> | undefined) {}

  get changes(): readonly T[] {
    this.#cached ??= changeLogToArray(this.changeLog);
    return this.#cached;
  }
}

export function changeLogOf<T>(draft: { readonly changes: readonly T[] }): ChangeLog<T> | undefined {
  if (draft instanceof ChangeLogged) return (draft as ChangeLogged<T>).changeLog;
  let log: ChangeLog<T> | undefined;
  for (const change of draft.changes) log = appendChange(log, change);
  return log;
}
