/** Fixed values of the Iceberg table spec that several engine steps rely on. */
import type { FormatVersion } from './types.js';

export const SUPPORTED_FORMAT_VERSION: FormatVersion = 3;
/** What Java creates when the request does not ask for a format version. */
export const DEFAULT_FORMAT_VERSION: FormatVersion = 2;

/** Partition field ids start at 1000; 999 means "none assigned yet". */
export const FIRST_PARTITION_FIELD_ID = 1000;
export const UNASSIGNED_PARTITION_ID = 999;

/** Order id 0 is reserved for "unsorted". */
export const UNSORTED_ORDER_ID = 0;

/** The branch that current-snapshot-id mirrors. */
export const MAIN_BRANCH = 'main';
