/**
 * A run of consecutive set-properties / remove-properties updates, applied with one copy of the
 * properties instead of one per update (F6: 10,000 set-properties updates on one commit copied the
 * growing map 10,000 times). Each update is recorded exactly as the single-update functions record
 * it: only keys whose value changes, only removals of keys that are set, nothing for a no-op.
 */
import { recordFromEntries } from './own-property.js';
import type { RemovePropertiesUpdate, SetPropertiesUpdate } from './types.js';

export type PropertyUpdate = SetPropertiesUpdate | RemovePropertiesUpdate;

export function isPropertyUpdate(update: { readonly action: string }): update is PropertyUpdate {
  return update.action === 'set-properties' || update.action === 'remove-properties';
}

export interface PropertyRunResult {
  /** Undefined when no update changed anything. */
  readonly properties: Record<string, string> | undefined;
  readonly changes: readonly PropertyUpdate[];
}

/** Counts property entries copied, so tests can assert linear work without clocks. */
export const propertyRunCounters = { entriesCopied: 0 };

export function applyPropertyRun(properties: Readonly<Record<string, string>>, run: readonly PropertyUpdate[]): PropertyRunResult {
  const working = new Map(Object.entries(properties));
  propertyRunCounters.entriesCopied += working.size;
  const changes: PropertyUpdate[] = [];
  for (const update of run) {
    if (update.action === 'set-properties') {
      const changed = Object.entries(update.updates).filter(([key, value]) => working.get(key) !== value);
      if (changed.length === 0) continue;
      for (const [key, value] of changed) working.set(key, value);
      changes.push({ action: 'set-properties', updates: recordFromEntries(changed) });
    } else {
      const removals = [...new Set(update.removals)].filter((key) => working.has(key));
      if (removals.length === 0) continue;
      for (const key of removals) working.delete(key);
      changes.push({ action: 'remove-properties', removals });
    }
  }
  if (changes.length === 0) return { properties: undefined, changes };
  propertyRunCounters.entriesCopied += working.size;
  return { properties: recordFromEntries(working), changes };
}

/**
 * Splits updates into runs: consecutive property updates form one run, every other update is a run
 * of one. Order is kept.
 */
export function* updateRuns<U extends { readonly action: string }>(updates: readonly U[]): Generator<{ readonly properties: readonly (U & PropertyUpdate)[] } | { readonly single: U }> {
  let run: (U & PropertyUpdate)[] = [];
  for (const update of updates) {
    if (isPropertyUpdate(update)) {
      run.push(update);
      continue;
    }
    if (run.length > 0) yield { properties: run };
    run = [];
    yield { single: update };
  }
  if (run.length > 0) yield { properties: run };
}
