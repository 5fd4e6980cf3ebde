/**
 * A minimal Avro object container writer, enough to produce real manifest lists and manifests as
 * fixtures. Codecs: `null` and `deflate`, plus `snappy` (literal-only blocks: valid snappy, no
 * compression) and `zstandard` where Node has zstd.
 */
import { randomBytes } from 'node:crypto';
import { AvroError } from './avro-error.js';
import { BinaryEncoder } from './binary-encoder.js';
import { concat } from './bytes.js';
import { codecName, compressBlock, type WriteCodec } from './codecs.js';
import { MAGIC, SYNC_SIZE } from './container-reader.js';
import { writeDatum } from './datum-writer.js';
import { parseSchema } from './schema.js';

export interface WriteContainerOptions {
  readonly codec?: WriteCodec;
  /** Extra header metadata; keys starting with `avro.` are Avro's own and rejected. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** A fixed marker makes output byte-for-byte reproducible; random otherwise, as Avro intends. */
  readonly syncMarker?: Uint8Array;
  /** A block is closed once its encoded records reach this size. */
  readonly blockSizeBytes?: number;
}

const DEFAULT_BLOCK_SIZE = 64 * 1024;
const utf8 = new TextEncoder();

/** `schemaJson` is the schema as a JSON value (an object, a union array or a type name), not text. */
export function writeContainer(schemaJson: unknown, records: Iterable<unknown>, options: WriteContainerOptions = {}): Uint8Array {
  const schema = parseSchema(schemaJson);
  const codec = options.codec ?? 'null';
  const sync = options.syncMarker ?? randomBytes(SYNC_SIZE);
  if (sync.length !== SYNC_SIZE) throw new AvroError(`An Avro sync marker is ${SYNC_SIZE} bytes, got ${sync.length}`);
  const blockSize = options.blockSizeBytes ?? DEFAULT_BLOCK_SIZE;

  const extra = Object.entries(options.metadata ?? {});
  const reserved = extra.find(([key]) => key.startsWith('avro.'));
  if (reserved !== undefined) throw new AvroError(`Metadata key "${reserved[0]}" is reserved for Avro`);
  const header = new BinaryEncoder();
  header.writeFixed(MAGIC);
  const metadata: [string, string][] = [['avro.schema', JSON.stringify(schemaJson)], ['avro.codec', codecName(codec)], ...extra];
  header.writeLong(metadata.length);
  for (const [key, value] of metadata) {
    header.writeString(key);
    header.writeBytes(utf8.encode(value));
  }
  header.writeLong(0);
  header.writeFixed(sync);

  const chunks: Uint8Array[] = [header.toBytes()];
  const block = new BinaryEncoder();
  let count = 0;
  const flush = (): void => {
    if (count === 0) return;
    const data = compressBlock(codec, block.toBytes());
    const framing = new BinaryEncoder();
    framing.writeLong(count);
    framing.writeLong(data.length);
    chunks.push(framing.toBytes(), data, sync);
    block.reset();
    count = 0;
  };
  for (const record of records) {
    writeDatum(schema, record, block);
    count += 1;
    if (block.size >= blockSize) flush();
  }
  flush();
  return concat(chunks);
}
