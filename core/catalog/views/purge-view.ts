import { gcEnabled } from '../../metadata/index.js';
import type { FileIO } from '../../store/file-io.js';
import type { PurgeJob } from '../tables/purge-queue.js';
import { NOTHING_PURGED, type PurgeReport } from '../tables/purge-table.js';
import { ViewMetadataFiles } from './view-metadata-files.js';

/**
 * A dropped view loses its current metadata file unless its `gc.enabled` is false, as the
 * reference catalogs do; older versions stay (they are the history a registerView could bring
 * back). A missing file means a purge already ran: purges may always run again.
 */
export async function purgeView(files: FileIO, job: PurgeJob): Promise<PurgeReport> {
  const metadata = await new ViewMetadataFiles(files, 1).readIfPresent(job.metadataLocation);
  if (metadata === undefined || !gcEnabled(metadata.properties)) return NOTHING_PURGED;
  await files.delete(job.metadataLocation);
  return { deleted: 1, dataFiles: 0, manifests: 0, metadataFiles: 1 };
}
