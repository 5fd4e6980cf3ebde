import { NotFoundError } from '../../errors.js';
import type { FileIO } from '../../store/file-io.js';
import type { PurgeJob } from '../tables/purge-queue.js';
import type { PurgeReport } from '../tables/purge-table.js';
import { ViewMetadataFiles } from './view-metadata-files.js';

const NOTHING: PurgeReport = { deleted: 0, dataFiles: 0, manifests: 0, metadataFiles: 0 };

/**
 * A dropped view loses its current metadata file unless its `gc.enabled` is false, as the
 * reference catalogs do; older versions stay (they are the history a registerView could bring
 * back). A missing file means a purge already ran: purges may always run again.
 */
export async function purgeView(files: FileIO, job: PurgeJob): Promise<PurgeReport> {
  let gcEnabled: boolean;
  try {
    const metadata = await new ViewMetadataFiles(files, 1).read(job.metadataLocation);
    gcEnabled = (metadata.properties['gc.enabled'] ?? 'true').toLowerCase() !== 'false';
  } catch (error) {
    if (error instanceof NotFoundError) return NOTHING;
    throw error;
  }
  if (!gcEnabled) return NOTHING;
  await files.delete(job.metadataLocation);
  return { deleted: 1, dataFiles: 0, manifests: 0, metadataFiles: 1 };
}
