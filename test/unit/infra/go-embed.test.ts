import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readGoEmbed } from '../../../infra/platform/go-embed.js';

const BASE = 0x400000n;

/** A minimal 64-bit little-endian ELF: one PT_LOAD segment mapping the whole file at BASE. */
function elfWith(files: readonly { name: string; data: string }[]): Buffer {
  const bin = Buffer.alloc(4096);
  bin.writeUInt32BE(0x7f454c46, 0);
  bin[4] = 2; // 64-bit
  bin[5] = 1; // little-endian
  bin.writeBigUInt64LE(64n, 0x20); // e_phoff
  bin.writeUInt16LE(56, 0x36); // e_phentsize
  bin.writeUInt16LE(1, 0x38); // e_phnum
  bin.writeUInt32LE(1, 64); // PT_LOAD
  bin.writeBigUInt64LE(0n, 64 + 8); // p_offset
  bin.writeBigUInt64LE(BASE, 64 + 16); // p_vaddr
  bin.writeBigUInt64LE(BigInt(bin.length), 64 + 32); // p_filesz

  let strings = 2048;
  const put = (text: string): bigint => {
    const at = strings;
    strings += bin.write(text, at, 'latin1');
    return BASE + BigInt(at);
  };
  let table = 512; // 8-byte aligned, after the headers
  for (const file of files) {
    bin.writeBigUInt64LE(put(file.name), table);
    bin.writeBigUInt64LE(BigInt(file.name.length), table + 8);
    bin.writeBigUInt64LE(file.data === '' ? 0n : put(file.data), table + 16);
    bin.writeBigUInt64LE(BigInt(file.data.length), table + 24);
    table += 48; // + a 16-byte hash, left zero
  }
  return bin;
}

test('reads the files of a Go embed.FS table out of an ELF executable, skipping directories', () => {
  const bin = elfWith([
    { name: 'package.json', data: '{"name":"@sst/platform"}' },
    { name: 'src/', data: '' },
    { name: 'src/config.ts', data: 'export const x = 1;\n' },
  ]);
  const files = readGoEmbed(bin, ['package.json', 'src/config.ts']);
  assert.deepEqual(
    files.map((f) => [f.name, f.data.toString('utf8')]),
    [
      ['package.json', '{"name":"@sst/platform"}'],
      ['src/config.ts', 'export const x = 1;\n'],
    ],
  );
});

test('refuses a binary whose embedded files lack the expected names', () => {
  const bin = elfWith([{ name: 'other.txt', data: 'x' }]);
  assert.throws(() => readGoEmbed(bin, ['package.json']), /no embedded file system/);
});

test('refuses what is not an executable it knows', () => {
  assert.throws(() => readGoEmbed(Buffer.alloc(256), ['package.json']), /unknown executable format/);
});
