import { gcEnabled } from '../../metadata/index.js';
import type { FileIO } from '../../store/file-io.js';
import { ScopedDeleter } from '../locations/confined-file-io.js';
import type { LocationConfinement } from '../locations/confinement.js';
import { confinedRoots, viewOwnLocations } from '../locations/object-locations.js';
import type { PurgeJob } from '../../maintenance/jobs/job-queue.js';
import { NOTHING_PURGED, readPurgedMetadata, refusedReport, type PurgeReport } from '../tables/purge-table.js';
import { ViewMetadataFiles } from './view-metadata-files.js';

/**
 * A dropped view loses its current metadata file unless its `gc.enabled` is false, as the
 * reference catalogs do; older versions stay (they are the history a registerView could bring
 * back). A missing file means a purge already ran: purges may always run again. Like a table's,
 * the deletion stays inside the view's own locations (a registered view may name any file).
 */
export async function purgeView(files: FileIO, confinement: LocationConfinement, job: PurgeJob): Promise<PurgeReport> {
  const viewFiles = new ViewMetadataFiles(files, 1);
  const metadata = await readPurgedMetadata((l) => viewFiles.readIfPresent(l), job.metadataLocation);
  if (metadata === undefined || !gcEnabled(metadata.properties)) return NOTHING_PURGED;
  const deleter = new ScopedDeleter(files, confinedRoots(confinement, viewOwnLocations(metadata)));
  const deleted = (await deleter.delete(job.metadataLocation)) ? 1 : 0;
  return { deleted, dataFiles: 0, manifests: 0, metadataFiles: 1, refused: refusedReport(deleter) };
}
