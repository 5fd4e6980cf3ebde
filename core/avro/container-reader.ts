/**
 * Avro object container files, read whole from memory: the `Obj\x01` magic, the metadata map
 * (`avro.schema`, `avro.codec`, plus whatever the writer added, e.g. Iceberg's `format-version`),
 * the 16-byte sync marker, then blocks of (record count, byte size, data, sync marker).
 *
 * Manifests and manifest lists are small and a purge needs every entry, so this returns an array
 * rather than streaming. Decoding is by writer schema only: no reader-schema resolution.
 */
import { AvroError } from './avro-error.js';
import { BinaryDecoder } from './binary-decoder.js';
import { bytesEqual } from '../bytes.js';
import { decompressBlock } from './codecs.js';
import { claimItems, defineField, newReadBudget, readDatum, DEFAULT_ZERO_WIDTH_ITEMS, type AvroValue } from './datum-reader.js';
import { minEncodedSize } from './encoded-size.js';
import { parseSchemaText, type AvroSchema } from './schema.js';

export const MAGIC = Uint8Array.of(0x4f, 0x62, 0x6a, 0x01);
export const SYNC_SIZE = 16;
/** Far above any real manifest, far below what would take down a Lambda. */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

export interface ReadContainerOptions {
  /** Total bytes all blocks may decompress to; the cap that defuses compression bombs. */
  readonly maxDecompressedBytes?: number;
  /** How many values that encode in zero bytes (nulls, empty records) a file may declare. */
  readonly maxZeroWidthItems?: number;
}

export interface AvroContainer {
  readonly schema: AvroSchema;
  readonly metadata: Readonly<Record<string, string>>;
  /** `avro.codec`, `null` when absent. */
  readonly codec: string;
  readonly records: AvroValue[];
}

const lenientUtf8 = new TextDecoder('utf-8');

function readMetadata(decoder: BinaryDecoder): Record<string, string> {
  const metadata: Record<string, string> = {};
  const budget = newReadBudget(0);
  for (let count = decoder.readLong(); count !== 0n; count = decoder.readLong()) {
    if (count < 0n) {
      count = -count;
      decoder.readLength('metadata block');
    }
    // Each entry is at least a key length byte and a value length byte.
    const entries = claimItems(count, 2, decoder, budget, 'metadata map');
    for (let index = 0; index < entries; index += 1) {
      const key = decoder.readString();
      // Values are bytes by definition; writers put text there, and a stray binary value must not
      // make the whole file unreadable, so it is decoded leniently.
      defineField(metadata, key, lenientUtf8.decode(decoder.readBytes()));
    }
  }
  return metadata;
}

export function readContainer(bytes: Uint8Array, options: ReadContainerOptions = {}): AvroContainer {
  const decoder = new BinaryDecoder(bytes);
  if (bytes.length < MAGIC.length || !bytesEqual(decoder.readView(MAGIC.length, 'magic'), MAGIC)) {
    throw new AvroError('Not an Avro object container file (bad magic)');
  }
  const metadata = readMetadata(decoder);
  const schemaText = Object.hasOwn(metadata, 'avro.schema') ? metadata['avro.schema'] : undefined;
  if (schemaText === undefined) throw new AvroError('Avro container header has no avro.schema');
  const schema = parseSchemaText(schemaText);
  const codec = (Object.hasOwn(metadata, 'avro.codec') ? metadata['avro.codec'] : undefined) ?? 'null';
  const sync = decoder.readFixed(SYNC_SIZE);

  const budget = newReadBudget(options.maxZeroWidthItems ?? DEFAULT_ZERO_WIDTH_ITEMS);
  const minRecordSize = minEncodedSize(schema);
  let allowance = options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const records: AvroValue[] = [];
  while (!decoder.atEnd()) {
    const blockStart = decoder.offset;
    const count = decoder.readLong();
    if (count < 0n) throw new AvroError(`Negative Avro block record count ${count} at offset ${blockStart}`);
    const compressed = decoder.readView(decoder.readLength('block'), 'block');
    if (!bytesEqual(decoder.readView(SYNC_SIZE, 'sync marker'), sync)) {
      throw new AvroError(`Avro block at offset ${blockStart} does not end with the file's sync marker`);
    }
    if (codec !== 'null' && allowance <= 0) throw new AvroError('Avro file decompresses to more than the allowed size');
    const data = decompressBlock(codec, compressed, allowance);
    allowance -= data.length;
    const block = new BinaryDecoder(data);
    const claimed = claimItems(count, minRecordSize, block, budget, 'file block');
    for (let index = 0; index < claimed; index += 1) records.push(readDatum(schema, block, budget));
    if (!block.atEnd()) throw new AvroError(`Avro block at offset ${blockStart} has ${block.remaining} bytes after its ${claimed} records`);
  }
  return { schema, metadata, codec, records };
}
