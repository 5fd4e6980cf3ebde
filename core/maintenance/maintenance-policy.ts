/**
 * What maintenance may do to one table, read from its properties (Iceberg's names where Iceberg has
 * one, `catalog.maintenance.*` for the catalog's own) on top of a catalog-wide default. Table
 * properties are client input that any writer with commit rights can set, so a bad value must
 * never stop maintenance of the table (nor crash a scheduled run over many tables): it is ignored,
 * the default applies, and the problem is reported for the run's log.
 */
import { MAX_LONG, type Long } from '../metadata/long.js';
import { PREVIOUS_VERSIONS_MAX, PREVIOUS_VERSIONS_MAX_DEFAULT } from '../metadata/metadata-log.js';
import { REBASE_APPENDS_PROPERTY } from '../metadata/rebase-append.js';
import { GC_ENABLED } from '../metadata/table-properties.js';

export { PREVIOUS_VERSIONS_MAX } from '../metadata/metadata-log.js';

export const MAX_SNAPSHOT_AGE_MS = 'history.expire.max-snapshot-age-ms';
export const MIN_SNAPSHOTS_TO_KEEP = 'history.expire.min-snapshots-to-keep';
export const MAX_REF_AGE_MS = 'history.expire.max-ref-age-ms';
export const DELETE_AFTER_COMMIT = 'write.metadata.delete-after-commit.enabled';
export const MAINTENANCE_ENABLED = 'catalog.maintenance.enabled';
export const DELETE_EXPIRED_FILES = 'catalog.maintenance.delete-expired-files';
export const DELETE_OLD_METADATA_FILES = 'catalog.maintenance.delete-old-metadata-files';
export const MAX_DELETES_PER_RUN = 'catalog.maintenance.max-deletes-per-run';
export const RECENT_HEADS_MS = 'catalog.maintenance.keep-recent-heads-ms';
export const MANIFEST_COMPACTION_ENABLED = 'catalog.maintenance.manifest-compaction.enabled';
export const MANIFEST_COMPACTION_MIN_MANIFESTS = 'catalog.maintenance.manifest-compaction.min-manifests';
export const MANIFEST_COMPACTION_TARGET_SIZE_BYTES = 'catalog.maintenance.manifest-compaction.target-size-bytes';

/** Iceberg's defaults (`TableProperties`): 5 days, keep 1, refs forever, 100 metadata files. */
export const DEFAULT_MAX_SNAPSHOT_AGE_MS: Long = 5n * 24n * 60n * 60n * 1000n;
export const DEFAULT_MIN_SNAPSHOTS_TO_KEEP = 1;
export const DEFAULT_MAX_REF_AGE_MS: Long = MAX_LONG;
/** The engine trims the metadata log to this at every commit (metadata-log.ts); the policy only reports it. */
export const DEFAULT_PREVIOUS_VERSIONS_MAX = PREVIOUS_VERSIONS_MAX_DEFAULT;
/**
 * Deletes one run may send. A run that stops here leaves the rest for the next run, which finds it
 * again (see expired-files.ts); the bound keeps one run inside a Lambda's time and S3's request rate.
 */
export const DEFAULT_MAX_DELETES_PER_RUN = 5_000;
/**
 * With `catalog.rebase-appends=true` the server rebases an append only while the snapshot it was
 * prepared on still exists and is still an ancestor of the branch head (rebase-append.ts): expiring
 * a head that main left a moment ago would turn an in-flight append's rebase into a 409, an error
 * caused by maintenance. So such a table keeps main's ancestors whose child on main is younger than
 * this. Snapshot times are the writers' (taken when they prepare), so the bound must cover two
 * writers' preparation plus two server commit deadlines (COMMIT_DEADLINE_MS, 15 s): the child may
 * have been prepared before the writer it overtook, and each may retry for 15 s. 60 s leaves room
 * for preparations of up to 15 s. 0 (the default without rebase) is Iceberg's exact behaviour:
 * there a writer whose parent left the head gets its 409 from the other writer, not from maintenance.
 */
export const DEFAULT_RECENT_HEADS_MS_WITH_REBASE: Long = 60_000n;
/** Far above any sensible value; a larger one is a typo, not a wish. */
const MAX_DELETES_LIMIT = 1_000_000;
/**
 * Manifest compaction starts when a branch head has more manifests than this (Iceberg's
 * `commit.manifest.min-count-to-merge` is 100 too): below it, planning reads one list and stops.
 */
export const DEFAULT_COMPACTION_MIN_MANIFESTS = 100;
/** Iceberg's `commit.manifest.target-size-bytes`: 8 MiB. Smaller data manifests are merged into ones of about this size. */
export const DEFAULT_COMPACTION_TARGET_SIZE_BYTES = 8 * 1024 * 1024;
/** Bounds for the two: a 1-manifest threshold compacts on every run; a manifest is read whole into a Lambda's memory. */
const MAX_COMPACTION_MIN_MANIFESTS = 1_000_000;
const MIN_COMPACTION_TARGET_SIZE_BYTES = 1024;
const MAX_COMPACTION_TARGET_SIZE_BYTES = 128 * 1024 * 1024;

export interface MaintenanceDefaults {
  /** The catalog-wide default for `catalog.maintenance.enabled` (CATALOG_MAINTENANCE). */
  readonly enabled: boolean;
}

export interface MaintenancePolicy {
  /** `catalog.maintenance.enabled`: does scheduled maintenance touch this table at all. */
  readonly enabled: boolean;
  readonly maxSnapshotAgeMs: Long;
  readonly minSnapshotsToKeep: number;
  readonly maxRefAgeMs: Long;
  readonly previousVersionsMax: number;
  readonly deleteAfterCommit: boolean;
  /** `gc.enabled=false`: no snapshot is expired and no file deleted; only metadata-log trimming. */
  readonly gcEnabled: boolean;
  /** `catalog.maintenance.delete-expired-files` (default true): false expires snapshots but keeps their files. */
  readonly deleteExpiredFiles: boolean;
  /**
   * `catalog.maintenance.delete-old-metadata-files` (default true): metadata files that fell off the
   * log are deleted by maintenance (old-metadata-files.ts), as `write.metadata.delete-after-commit.enabled`
   * would at commit time, so a table that commits every second does not keep 86,400 files a day.
   */
  readonly deleteOldMetadataFiles: boolean;
  readonly maxDeletesPerRun: number;
  /** `catalog.maintenance.keep-recent-heads-ms`: main's ancestors that were the head within this long are kept. */
  readonly recentHeadsMs: Long;
  readonly manifestCompaction: ManifestCompactionPolicy;
}

/** `catalog.maintenance.manifest-compaction.*` (compact-manifests.ts). */
export interface ManifestCompactionPolicy {
  /** `.enabled` (default true). */
  readonly enabled: boolean;
  /** `.min-manifests`: a branch head with more manifests than this is compacted. */
  readonly minManifests: number;
  /** `.target-size-bytes`: data manifests smaller than this are merged into ones of about this size. */
  readonly targetSizeBytes: number;
}

/** A property whose value could not be used; the default stood in for it. */
export interface PolicyProblem {
  readonly property: string;
  readonly value: string;
  readonly reason: string;
}

export interface ResolvedPolicy {
  readonly policy: MaintenancePolicy;
  readonly problems: readonly PolicyProblem[];
}

export function maintenancePolicy(properties: Readonly<Record<string, string>>, defaults: MaintenanceDefaults): ResolvedPolicy {
  const problems: PolicyProblem[] = [];
  const read = <T>(property: string, fallback: T, parse: (text: string) => T | Invalid): T => {
    if (!Object.hasOwn(properties, property)) return fallback;
    const value = properties[property] ?? '';
    const parsed = parse(value.trim());
    if (parsed instanceof Invalid) {
      problems.push({ property, value: value.slice(0, 100), reason: parsed.reason });
      return fallback;
    }
    return parsed;
  };
  const policy: MaintenancePolicy = {
    enabled: read(MAINTENANCE_ENABLED, defaults.enabled, parseBoolean),
    maxSnapshotAgeMs: read(MAX_SNAPSHOT_AGE_MS, DEFAULT_MAX_SNAPSHOT_AGE_MS, parseNonNegativeLong),
    minSnapshotsToKeep: read(MIN_SNAPSHOTS_TO_KEEP, DEFAULT_MIN_SNAPSHOTS_TO_KEEP, (text) => parseInteger(text, 1, 2 ** 31 - 1)),
    maxRefAgeMs: read(MAX_REF_AGE_MS, DEFAULT_MAX_REF_AGE_MS, parseNonNegativeLong),
    // Java treats values below 1 as 1; the engine trims the log the same way (builder.ts).
    previousVersionsMax: read(PREVIOUS_VERSIONS_MAX, DEFAULT_PREVIOUS_VERSIONS_MAX, (text) => {
      const parsed = parseInteger(text, Number.MIN_SAFE_INTEGER, 2 ** 31 - 1);
      return parsed instanceof Invalid ? parsed : Math.max(1, parsed);
    }),
    deleteAfterCommit: read(DELETE_AFTER_COMMIT, false, parseBoolean),
    gcEnabled: read(GC_ENABLED, true, parseBoolean),
    deleteExpiredFiles: read(DELETE_EXPIRED_FILES, true, parseBoolean),
    deleteOldMetadataFiles: read(DELETE_OLD_METADATA_FILES, true, parseBoolean),
    maxDeletesPerRun: read(MAX_DELETES_PER_RUN, DEFAULT_MAX_DELETES_PER_RUN, (text) => parseInteger(text, 1, MAX_DELETES_LIMIT)),
    recentHeadsMs: read(RECENT_HEADS_MS, properties[REBASE_APPENDS_PROPERTY] === 'true' ? DEFAULT_RECENT_HEADS_MS_WITH_REBASE : 0n, parseNonNegativeLong),
    manifestCompaction: {
      enabled: read(MANIFEST_COMPACTION_ENABLED, true, parseBoolean),
      minManifests: read(MANIFEST_COMPACTION_MIN_MANIFESTS, DEFAULT_COMPACTION_MIN_MANIFESTS, (text) => parseInteger(text, 1, MAX_COMPACTION_MIN_MANIFESTS)),
      targetSizeBytes: read(MANIFEST_COMPACTION_TARGET_SIZE_BYTES, DEFAULT_COMPACTION_TARGET_SIZE_BYTES, (text) =>
        parseInteger(text, MIN_COMPACTION_TARGET_SIZE_BYTES, MAX_COMPACTION_TARGET_SIZE_BYTES),
      ),
    },
  };
  return { policy, problems };
}

class Invalid {
  constructor(readonly reason: string) {}
}

/** Iceberg reads booleans with Java's `Boolean.parseBoolean` (anything but "true" is false); a typo is reported here instead. */
function parseBoolean(text: string): boolean | Invalid {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return new Invalid('not true or false');
}

function parseNonNegativeLong(text: string): Long | Invalid {
  if (!/^\d{1,19}$/.test(text)) return new Invalid('not a non-negative whole number of milliseconds');
  const value = BigInt(text);
  return value > MAX_LONG ? new Invalid('larger than a 64-bit long') : value;
}

function parseInteger(text: string, min: number, max: number): number | Invalid {
  if (!/^-?\d{1,16}$/.test(text)) return new Invalid('not a whole number');
  const value = Number(text);
  return value < min || value > max ? new Invalid(`not between ${min} and ${max}`) : value;
}
