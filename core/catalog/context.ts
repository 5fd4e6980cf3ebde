import type { Clock } from '../clock.js';
import type { CatalogConfig, WarehouseConfig } from '../config.js';
import { NoSuchWarehouseError } from '../errors.js';
import type { CatalogKeys } from './catalog-keys.js';
import type { FileIO } from '../store/file-io.js';
import type { RecordStore } from '../store/record-store.js';
import type { JobQueue } from '../maintenance/jobs/job-queue.js';
import type { MetadataFiles } from './tables/metadata-files.js';
import type { ViewMetadataFiles } from './views/view-metadata-files.js';

/** Re-exported for the catalog's own modules; the definition is a leaf (core/clock.ts). */
export type { Clock } from '../clock.js';

/** Everything a use case may touch: ports only, no transport, no SDK. */
export interface CatalogContext {
  readonly config: CatalogConfig;
  readonly records: RecordStore;
  readonly keys: CatalogKeys;
  readonly files: FileIO;
  readonly metadataFiles: MetadataFiles;
  readonly viewMetadataFiles: ViewMetadataFiles;
  /** Background work (purges after a drop, maintenance runs): SQS in production, in process locally. */
  readonly jobs: JobQueue;
  readonly clock: Clock;
  readonly newUuid: () => string;
  /** Waits between retries; injected so tests can make it instant. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export function resolveWarehouse(config: CatalogConfig, name: string): WarehouseConfig {
  const found = config.warehouses.find((w) => w.name === name);
  if (found === undefined) throw new NoSuchWarehouseError(`Warehouse does not exist: ${name}`);
  return found;
}
