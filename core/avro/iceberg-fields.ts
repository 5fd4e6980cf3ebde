/**
 * The Iceberg manifest-list and manifest fields this package reads and writes, by field id. Iceberg
 * readers resolve fields by id, not name, and so does `struct-view.ts`; names are the spec's, and
 * `aliases` are names older writers used for the same id.
 */
export interface IcebergField {
  readonly id: number;
  readonly name: string;
  readonly aliases?: readonly string[];
}

function field(id: number, name: string, ...aliases: string[]): IcebergField {
  return aliases.length === 0 ? { id, name } : { id, name, aliases };
}

/** `manifest_file`, the record of a manifest list. */
export const ManifestFileFields = {
  manifestPath: field(500, 'manifest_path'),
  manifestLength: field(501, 'manifest_length'),
  partitionSpecId: field(502, 'partition_spec_id'),
  content: field(517, 'content'),
  sequenceNumber: field(515, 'sequence_number'),
  minSequenceNumber: field(516, 'min_sequence_number'),
  addedSnapshotId: field(503, 'added_snapshot_id'),
  addedFilesCount: field(504, 'added_files_count', 'added_data_files_count'),
  existingFilesCount: field(505, 'existing_files_count', 'existing_data_files_count'),
  deletedFilesCount: field(506, 'deleted_files_count', 'deleted_data_files_count'),
  addedRowsCount: field(512, 'added_rows_count'),
  existingRowsCount: field(513, 'existing_rows_count'),
  deletedRowsCount: field(514, 'deleted_rows_count'),
  partitions: field(507, 'partitions'),
  keyMetadata: field(519, 'key_metadata'),
  firstRowId: field(520, 'first_row_id'),
} as const;

/** The list element id of `partitions`. */
export const PARTITION_SUMMARY_ELEMENT_ID = 508;

/** `field_summary`, one per partition field in `partitions`. */
export const FieldSummaryFields = {
  containsNull: field(509, 'contains_null'),
  containsNan: field(518, 'contains_nan'),
  lowerBound: field(510, 'lower_bound'),
  upperBound: field(511, 'upper_bound'),
} as const;

/** `manifest_entry`, the record of a manifest. */
export const ManifestEntryFields = {
  status: field(0, 'status'),
  snapshotId: field(1, 'snapshot_id'),
  sequenceNumber: field(3, 'sequence_number'),
  fileSequenceNumber: field(4, 'file_sequence_number'),
  dataFile: field(2, 'data_file'),
} as const;

/** `data_file`, nested in every manifest entry. */
export const DataFileFields = {
  content: field(134, 'content'),
  filePath: field(100, 'file_path'),
  fileFormat: field(101, 'file_format'),
  partition: field(102, 'partition'),
  recordCount: field(103, 'record_count'),
  fileSizeInBytes: field(104, 'file_size_in_bytes'),
  blockSizeInBytes: field(105, 'block_size_in_bytes'),
  columnSizes: field(108, 'column_sizes'),
  valueCounts: field(109, 'value_counts'),
  nullValueCounts: field(110, 'null_value_counts'),
  nanValueCounts: field(137, 'nan_value_counts'),
  lowerBounds: field(125, 'lower_bounds'),
  upperBounds: field(128, 'upper_bounds'),
  keyMetadata: field(131, 'key_metadata'),
  splitOffsets: field(132, 'split_offsets'),
  equalityIds: field(135, 'equality_ids'),
  sortOrderId: field(140, 'sort_order_id'),
  firstRowId: field(142, 'first_row_id'),
  referencedDataFile: field(143, 'referenced_data_file'),
  contentOffset: field(144, 'content_offset'),
  contentSizeInBytes: field(145, 'content_size_in_bytes'),
} as const;

/** Key and value ids of the int-keyed maps in `data_file`, and element ids of its lists. */
export const DataFileNestedIds = {
  columnSizes: [117, 118],
  valueCounts: [119, 120],
  nullValueCounts: [121, 122],
  nanValueCounts: [138, 139],
  lowerBounds: [126, 127],
  upperBounds: [129, 130],
  splitOffsetsElement: 133,
  equalityIdsElement: 136,
} as const;
