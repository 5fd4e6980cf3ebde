/**
 * Which delete files apply to which data file (Java's DeleteFileIndex), by the spec's rules on data
 * sequence numbers:
 * - a deletion vector (v3: a position delete with `content_offset` and `referenced_data_file`)
 *   applies only to its referenced data file, when the file's sequence number is <= the DV's; where
 *   one applies, the file's other position deletes do not (the DV replaced them);
 * - a position delete file applies to data files with a sequence number <= its own: only to its
 *   `referenced_data_file` when it names one, else to files of the same spec and partition;
 * - an equality delete file applies to data files with a sequence number strictly below its own,
 *   of the same spec and partition, or of any partition when its spec is unpartitioned.
 * Each delete file is listed once in the plan; a task refers to it by its index.
 */
import { DataFileContent, type DataFile } from '../../avro/iceberg-manifest-types.js';
import type { JsonObject } from '../../json/lossless-json.js';

/** A live delete file from a delete manifest, with its inherited data sequence number. */
export interface IndexedDelete {
  readonly file: DataFile;
  readonly sequenceNumber: bigint;
  readonly specId: number;
  /** Spec id and partition values, equal for files of the same partition. */
  readonly partitionKey: string;
  readonly unpartitioned: boolean;
  readonly json: JsonObject;
}

/** The data file a task is for. */
export interface DataFileKey {
  readonly path: string;
  readonly sequenceNumber: bigint;
  readonly partitionKey: string;
}

export class DeleteFileIndex {
  private readonly listed: JsonObject[] = [];
  private readonly indexOf = new Map<IndexedDelete, number>();
  private readonly dvs = new Map<string, IndexedDelete[]>();
  private readonly positionByPath = new Map<string, IndexedDelete[]>();
  private readonly positionByPartition = new Map<string, IndexedDelete[]>();
  private readonly equalityByPartition = new Map<string, IndexedDelete[]>();
  private readonly globalEquality: IndexedDelete[] = [];

  constructor(deletes: Iterable<IndexedDelete>) {
    for (const entry of deletes) {
      const file = entry.file;
      if (file.content === DataFileContent.POSITION_DELETES) {
        if (file.referenced_data_file !== null && file.content_offset !== null) push(this.dvs, file.referenced_data_file, entry);
        else if (file.referenced_data_file !== null) push(this.positionByPath, file.referenced_data_file, entry);
        else push(this.positionByPartition, entry.partitionKey, entry);
      } else if (file.content === DataFileContent.EQUALITY_DELETES) {
        if (entry.unpartitioned) this.globalEquality.push(entry);
        else push(this.equalityByPartition, entry.partitionKey, entry);
      }
    }
  }

  /** The plan-wide indexes of the deletes that apply to `data`, adding them to the list on first use. */
  referencesFor(data: DataFileKey): number[] {
    const applies: IndexedDelete[] = [];
    const dvs = (this.dvs.get(data.path) ?? []).filter((dv) => data.sequenceNumber <= dv.sequenceNumber);
    if (dvs.length > 0) applies.push(...dvs);
    else {
      for (const entry of [...(this.positionByPath.get(data.path) ?? []), ...(this.positionByPartition.get(data.partitionKey) ?? [])]) {
        if (data.sequenceNumber <= entry.sequenceNumber) applies.push(entry);
      }
    }
    for (const entry of [...(this.equalityByPartition.get(data.partitionKey) ?? []), ...this.globalEquality]) {
      if (data.sequenceNumber < entry.sequenceNumber) applies.push(entry);
    }
    return [...new Set(applies)].map((entry) => this.reference(entry));
  }

  /** The `delete-files` of the plan: every delete some task refers to, in first-use order. */
  deleteFiles(): JsonObject[] {
    return this.listed;
  }

  private reference(entry: IndexedDelete): number {
    let index = this.indexOf.get(entry);
    if (index === undefined) {
      index = this.listed.length;
      this.listed.push(entry.json);
      this.indexOf.set(entry, index);
    }
    return index;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
