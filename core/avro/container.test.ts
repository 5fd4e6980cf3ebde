import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroError } from './avro-error.js';
import { BinaryEncoder } from './binary-encoder.js';
import { SNAPPY } from '../../test/support/avro-snappy.js';
import { codecName, zstdAvailable, type WriteCodec } from './codecs.js';
import { readContainer } from './container-reader.js';
import { writeContainer } from './container-writer.js';

const SCHEMA = {
  type: 'record',
  name: 'row',
  namespace: 'test',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'score', type: ['null', 'double'], default: null },
  ],
};

const ROWS = Array.from({ length: 500 }, (_, index) => ({
  id: BigInt(index) * 1_000_000_007n - 2n ** 62n,
  name: `row-${index}`,
  tags: index % 3 === 0 ? [] : ['a', `t${index}`],
  score: index % 2 === 0 ? null : index / 4,
}));

const SYNC = Uint8Array.from({ length: 16 }, (_, index) => index * 7);

const codecs: { codec: WriteCodec; skip: boolean }[] = [
  { codec: 'null', skip: false },
  { codec: 'deflate', skip: false },
  { codec: SNAPPY, skip: false },
  { codec: 'zstandard', skip: !zstdAvailable() },
];

for (const { codec: writeCodec, skip } of codecs) {
  const codec = codecName(writeCodec);
  test(`${codec} files round-trip across several blocks`, { skip }, () => {
    const bytes = writeContainer(SCHEMA, ROWS, { codec: writeCodec, blockSizeBytes: 1024, metadata: { 'format-version': '2' } });
    const container = readContainer(bytes);
    assert.equal(container.codec, codec);
    assert.equal(container.metadata['avro.codec'], codec);
    assert.equal(container.metadata['format-version'], '2');
    assert.deepEqual(JSON.parse(container.metadata['avro.schema'] ?? ''), SCHEMA);
    assert.equal(container.schema.type === 'record' && container.schema.name, 'test.row');
    assert.deepEqual(container.records, ROWS);
  });
}

test('a file without records is just a header', () => {
  const container = readContainer(writeContainer('long', []));
  assert.deepEqual(container.records, []);
  assert.equal(container.schema.type, 'long');
});

test('a fixed sync marker makes output reproducible', () => {
  const first = writeContainer(SCHEMA, ROWS.slice(0, 3), { codec: 'deflate', syncMarker: SYNC });
  const second = writeContainer(SCHEMA, ROWS.slice(0, 3), { codec: 'deflate', syncMarker: SYNC });
  assert.deepEqual(first, second);
  assert.deepEqual(first.subarray(first.length - 16), SYNC);
});

test('metadata keys in the avro. namespace are refused', () => {
  assert.throws(() => writeContainer('int', [], { metadata: { 'avro.codec': 'deflate' } }), AvroError);
});

test('a snappy block whose CRC does not match is an AvroError', () => {
  const bytes = writeContainer(SCHEMA, ROWS.slice(0, 5), { codec: SNAPPY });
  // The last block ends with its 4-byte CRC, then the 16-byte sync marker.
  bytes[bytes.length - 17]! ^= 0xff;
  assert.throws(() => readContainer(bytes), (error) => error instanceof AvroError && /CRC/.test(error.message));
});

/** A header naming `codec`, hand-built because the writer refuses codecs it cannot produce. */
function headerWithCodec(codec: string): Uint8Array {
  const encoder = new BinaryEncoder();
  encoder.writeFixed(Uint8Array.of(0x4f, 0x62, 0x6a, 0x01));
  encoder.writeLong(2);
  encoder.writeString('avro.schema');
  encoder.writeString('"int"');
  encoder.writeString('avro.codec');
  encoder.writeString(codec);
  encoder.writeLong(0);
  encoder.writeFixed(SYNC);
  encoder.writeLong(1);
  encoder.writeLong(1);
  encoder.writeFixed(Uint8Array.of(0x02));
  encoder.writeFixed(SYNC);
  return encoder.toBytes();
}

test('unsupported codecs are AvroErrors naming the codec', () => {
  for (const codec of ['bzip2', 'xz', 'lz4']) {
    assert.throws(() => readContainer(headerWithCodec(codec)), (error) => error instanceof AvroError && error.message.includes(codec));
  }
});

test('a hand-built null-codec file reads as expected', () => {
  assert.deepEqual(readContainer(headerWithCodec('null')).records, [1]);
});

test('metadata values are strings, and the map tolerates unusual keys', () => {
  const bytes = writeContainer('int', [7], { metadata: { ['__proto__']: 'kept', 'iceberg.schema': '{}' } });
  const { metadata } = readContainer(bytes);
  assert.equal(Object.getPrototypeOf(metadata), Object.prototype);
  assert.equal(Object.hasOwn(metadata, '__proto__'), true);
  assert.equal(metadata['iceberg.schema'], '{}');
});
