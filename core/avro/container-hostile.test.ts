/**
 * Truncated, corrupted and forged files must fail with AvroError: never a RangeError or TypeError
 * from deep inside, never a hang, never a giant allocation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroError } from './avro-error.js';
import { BinaryEncoder } from './binary-encoder.js';
import { readContainer } from './container-reader.js';
import { writeContainer } from './container-writer.js';
import { SNAPPY } from '../../test/support/avro-snappy.js';
import type { WriteCodec } from './codecs.js';

const SCHEMA = {
  type: 'record',
  name: 'entry',
  fields: [
    { name: 'path', type: 'string' },
    { name: 'size', type: 'long' },
    { name: 'bounds', type: { type: 'map', values: 'bytes' } },
    { name: 'ids', type: ['null', { type: 'array', items: 'int' }], default: null },
  ],
};
const ROWS = Array.from({ length: 40 }, (_, index) => ({
  path: `s3://bucket/table/data/${index}.parquet`,
  size: BigInt(index) * 4096n,
  bounds: new Map([['1', Uint8Array.of(index)]]),
  ids: index % 2 === 0 ? null : [index, index + 1],
}));
const SYNC = new Uint8Array(16).fill(0xab);

function fileWith(codec: 'null' | 'deflate' | 'snappy'): Uint8Array {
  const writeCodec: WriteCodec = codec === 'snappy' ? SNAPPY : codec;
  return writeContainer(SCHEMA, ROWS, { codec: writeCodec, blockSizeBytes: 256, syncMarker: SYNC });
}

/** Reading must either succeed or throw AvroError; anything else fails the test. */
function readOrAvroError(bytes: Uint8Array): 'ok' | 'avro-error' {
  try {
    readContainer(bytes, { maxDecompressedBytes: 1 << 20 });
    return 'ok';
  } catch (error) {
    if (error instanceof AvroError) return 'avro-error';
    throw error;
  }
}

/** A header for `schema` with a null codec, followed by `body` as the raw block bytes. */
function handBuilt(schema: unknown, writeBody: (encoder: BinaryEncoder) => void): Uint8Array {
  const encoder = new BinaryEncoder();
  encoder.writeFixed(Uint8Array.of(0x4f, 0x62, 0x6a, 0x01));
  encoder.writeLong(1);
  encoder.writeString('avro.schema');
  encoder.writeString(JSON.stringify(schema));
  encoder.writeLong(0);
  encoder.writeFixed(SYNC);
  writeBody(encoder);
  return encoder.toBytes();
}

test('bad magic and empty input', () => {
  assert.throws(() => readContainer(new Uint8Array(0)), AvroError);
  assert.throws(() => readContainer(Uint8Array.of(0x4f, 0x62)), AvroError);
  const bytes = fileWith('null');
  bytes[3] = 0x02;
  assert.throws(() => readContainer(bytes), /magic/);
});

test('a file without avro.schema is an AvroError', () => {
  const encoder = new BinaryEncoder();
  encoder.writeFixed(Uint8Array.of(0x4f, 0x62, 0x6a, 0x01));
  encoder.writeLong(0);
  encoder.writeFixed(SYNC);
  assert.throws(() => readContainer(encoder.toBytes()), /avro\.schema/);
});

for (const codec of ['null', 'deflate', 'snappy'] as const) {
  test(`every truncation of a ${codec} file fails cleanly or reads a block-aligned prefix`, () => {
    const bytes = fileWith(codec);
    const full = readContainer(bytes).records.length;
    for (let length = 0; length < bytes.length; length += 1) {
      const prefix = bytes.subarray(0, length);
      if (readOrAvroError(prefix) === 'ok') assert.ok(readContainer(prefix).records.length < full);
    }
  });

  test(`random corruption of a ${codec} file never escapes as another error`, () => {
    const original = fileWith(codec);
    let seed = 0x2545f491;
    const random = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    for (let round = 0; round < 400; round += 1) {
      const bytes = original.slice();
      const flips = 1 + Math.floor(random() * 4);
      for (let flip = 0; flip < flips; flip += 1) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      readOrAvroError(bytes);
    }
  });
}

test('a block whose sync marker differs is an AvroError', () => {
  const bytes = fileWith('null');
  bytes[bytes.length - 1]! ^= 0x01;
  assert.throws(() => readContainer(bytes), /sync marker/);
});

test('a forged huge block record count is an AvroError', () => {
  const bytes = handBuilt('long', (encoder) => {
    encoder.writeLong(2n ** 62n);
    encoder.writeLong(1);
    encoder.writeLong(5);
    encoder.writeFixed(SYNC);
  });
  assert.throws(() => readContainer(bytes), /claims/);
});

test('a forged huge block byte size is an AvroError', () => {
  const bytes = handBuilt('long', (encoder) => {
    encoder.writeLong(1);
    encoder.writeLong(2n ** 62n);
    encoder.writeLong(5);
  });
  assert.throws(() => readContainer(bytes), /exceeds/);
});

test('a negative block count is an AvroError', () => {
  const bytes = handBuilt('long', (encoder) => {
    encoder.writeLong(-1);
    encoder.writeLong(1);
    encoder.writeLong(5);
    encoder.writeFixed(SYNC);
  });
  assert.throws(() => readContainer(bytes), AvroError);
});

test('a forged string length inside a record is an AvroError', () => {
  const bytes = handBuilt('string', (encoder) => {
    encoder.writeLong(1);
    encoder.writeLong(10);
    const inner = new BinaryEncoder();
    inner.writeLong(2n ** 61n);
    encoder.writeFixed(inner.toBytes());
    encoder.writeFixed(new Uint8Array(10 - inner.size));
    encoder.writeFixed(SYNC);
  });
  assert.throws(() => readContainer(bytes), AvroError);
});

test('bytes left over after a block\'s records are an AvroError', () => {
  const bytes = handBuilt('long', (encoder) => {
    encoder.writeLong(1);
    encoder.writeLong(2);
    encoder.writeLong(5);
    encoder.writeLong(5);
    encoder.writeFixed(SYNC);
  });
  assert.throws(() => readContainer(bytes), /after its 1 records/);
});

test('a forged metadata map count is an AvroError', () => {
  const encoder = new BinaryEncoder();
  encoder.writeFixed(Uint8Array.of(0x4f, 0x62, 0x6a, 0x01));
  encoder.writeLong(2n ** 62n);
  encoder.writeString('avro.schema');
  assert.throws(() => readContainer(encoder.toBytes()), /claims/);
});

test('empty-record rows cannot be multiplied without bound', () => {
  const bytes = handBuilt({ type: 'record', name: 'empty', fields: [] }, (encoder) => {
    encoder.writeLong(2n ** 50n);
    encoder.writeLong(0);
    encoder.writeFixed(SYNC);
  });
  assert.throws(() => readContainer(bytes), /zero-width/);
});

test('a deflate bomb beyond the decompression cap is an AvroError', () => {
  const bytes = writeContainer('bytes', [new Uint8Array(4 * 1024 * 1024)], { codec: 'deflate' });
  assert.ok(bytes.length < 16 * 1024, 'four zero megabytes deflate to a few kilobytes');
  assert.throws(() => readContainer(bytes, { maxDecompressedBytes: 1024 * 1024 }), AvroError);
  assert.equal(readContainer(bytes).records.length, 1);
});

test('corrupt deflate data is an AvroError', () => {
  const bytes = fileWith('deflate');
  // The first block's data starts right after the header; scribble over it.
  const headerEnd = bytes.indexOf(0xab) + 16;
  bytes.fill(0xff, headerEnd + 4, headerEnd + 24);
  assert.throws(() => readContainer(bytes), AvroError);
});
