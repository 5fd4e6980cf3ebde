import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroError } from './avro-error.js';
import { snappyCompressLiterals } from '../../test/support/avro-snappy.js';
import { snappyDecompress } from './snappy.js';

const LIMIT = 1 << 20;
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const ascii = (value: string): number[] => [...value].map((char) => char.charCodeAt(0));

test('a hand-built stream with a literal and an overlapping 2-byte-offset copy', () => {
  // "abc" as a literal, then "copy 21 bytes from 3 back", which overlaps itself and repeats "abc".
  const stream = Uint8Array.of(24, (3 - 1) << 2, ...ascii('abc'), ((21 - 1) << 2) | 2, 3, 0);
  assert.equal(text(snappyDecompress(stream, LIMIT)), 'abc'.repeat(8));
});

test('a 1-byte-offset copy, a 4-byte-offset copy and a long literal', () => {
  const long = 'x'.repeat(100);
  const stream = Uint8Array.of(
    12 + 100 + 5,
    (4 - 1) << 2,
    ...ascii('abcd'),
    // copy-1: length 4 + 4 = 8, offset 4 (its high bits in the tag are 0).
    ((8 - 4) << 2) | 1,
    4,
    // A 100-byte literal: tag 60 means "length - 1 follows in one byte".
    60 << 2,
    100 - 1,
    ...ascii(long),
    // copy-4: length 5, offset 112 (back to the start: "abcda").
    ((5 - 1) << 2) | 3,
    112,
    0,
    0,
    0,
  );
  assert.equal(text(snappyDecompress(stream, LIMIT)), `abcdabcdabcd${long}abcda`);
});

test('the high offset bits of a 1-byte-offset copy come from the tag', () => {
  const prefix = 'p'.repeat(300);
  // copy-1 with offset 300 = (1 << 8) + 44: tag bits 5-7 hold the 1.
  const stream = Uint8Array.of(0xb0, 0x02, 61 << 2, 299 & 0xff, 299 >> 8, ...ascii(prefix), (1 << 5) | ((4 - 4) << 2) | 1, 44);
  assert.equal(text(snappyDecompress(stream, LIMIT)), prefix + 'pppp');
});

test('the literal-only compressor produces streams the decompressor accepts', () => {
  for (const size of [0, 1, 59, 60, 61, 256, 257, 65536, 65537, 200_000]) {
    const input = Uint8Array.from({ length: size }, (_, index) => (index * 31) & 0xff);
    assert.deepEqual(snappyDecompress(snappyCompressLiterals(input), LIMIT), input);
  }
});

test('malformed streams are AvroErrors', () => {
  const cases: [string, number[]][] = [
    ['empty', []],
    ['unterminated preamble', [0x80]],
    ['offset zero', [8, 0x0c, ...ascii('abcd'), ((4 - 4) << 2) | 1, 0]],
    ['offset beyond output', [8, 0x0c, ...ascii('abcd'), ((4 - 4) << 2) | 1, 5]],
    ['copy before any output', [4, ((4 - 4) << 2) | 1, 1]],
    ['truncated literal', [4, 0x0c, ...ascii('ab')]],
    ['truncated copy offset', [8, 0x0c, ...ascii('abcd'), 0x0e]],
    ['literal overruns declared length', [2, 0x0c, ...ascii('abcd')]],
    ['shorter than declared', [9, 0x0c, ...ascii('abcd')]],
    ['huge declared length', [0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x61]],
  ];
  for (const [name, bytes] of cases) assert.throws(() => snappyDecompress(Uint8Array.from(bytes), LIMIT), AvroError, name);
});

test('the output cap is enforced before allocating', () => {
  const input = snappyCompressLiterals(new Uint8Array(1000));
  assert.throws(() => snappyDecompress(input, 999), /limit/);
});
