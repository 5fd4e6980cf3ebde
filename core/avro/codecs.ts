/**
 * Avro block codecs. Decompression is capped (`maxBytes`) because a few kilobytes of deflate or zstd
 * can legitimately expand to gigabytes: a forged manifest must not take a Lambda's memory with it.
 */
import * as zlib from 'node:zlib';
import { AvroError } from './avro-error.js';
import { snappyDecompress } from './snappy.js';

/** The codecs this package reads. */
export type AvroCodec = 'null' | 'deflate' | 'snappy' | 'zstandard';

/** A codec supplied by the caller (tests write snappy files this way); `name` goes into `avro.codec`. */
export interface BlockCompressor {
  readonly name: string;
  compress(data: Uint8Array): Uint8Array;
}

/** The codecs this package writes: the catalog itself never needs snappy. */
export type WriteCodec = 'null' | 'deflate' | 'zstandard' | BlockCompressor;

export function codecName(codec: WriteCodec): string {
  return typeof codec === 'string' ? codec : codec.name;
}

const CRC_SIZE = 4;

/** `zstdDecompressSync` arrived in Node 22.15; older 22.x runtimes lack it. */
export function zstdAvailable(): boolean {
  return typeof zlib.zstdDecompressSync === 'function' && typeof zlib.zstdCompressSync === 'function';
}

function unsupported(codec: string): AvroError {
  return new AvroError(`Unsupported Avro codec "${codec}"`);
}

/** Runs a zlib call, turning its errors (corrupt input, output over the cap) into AvroError. */
function viaZlib(codec: string, run: () => Uint8Array): Uint8Array {
  try {
    return run();
  } catch (error) {
    if (error instanceof AvroError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AvroError(`Cannot decompress ${codec} block: ${reason}`, { cause: error });
  }
}

export function decompressBlock(codec: string, data: Uint8Array, maxBytes: number): Uint8Array {
  switch (codec) {
    case 'null':
      return data;
    case 'deflate':
      return viaZlib(codec, () => zlib.inflateRawSync(data, { maxOutputLength: maxBytes }));
    case 'zstandard':
      if (!zstdAvailable()) throw new AvroError('Avro codec "zstandard" needs Node 22.15 or later (zlib.zstdDecompressSync)');
      return viaZlib(codec, () => zlib.zstdDecompressSync(data, { maxOutputLength: maxBytes }));
    case 'snappy': {
      if (data.length < CRC_SIZE) throw new AvroError('Snappy block is shorter than its checksum');
      const body = snappyDecompress(data.subarray(0, data.length - CRC_SIZE), maxBytes);
      const trailer = data.subarray(data.length - CRC_SIZE);
      const expected = new DataView(trailer.buffer, trailer.byteOffset, CRC_SIZE).getUint32(0, false);
      if (zlib.crc32(body) !== expected) throw new AvroError('Snappy block fails its CRC-32 check');
      return body;
    }
    default:
      throw unsupported(codec);
  }
}

export function compressBlock(codec: WriteCodec, data: Uint8Array): Uint8Array {
  if (typeof codec !== 'string') return codec.compress(data);
  switch (codec) {
    case 'null':
      return data;
    case 'deflate':
      return zlib.deflateRawSync(data);
    case 'zstandard':
      if (!zstdAvailable()) throw unsupported(codec);
      return zlib.zstdCompressSync(data);
    default:
      throw unsupported(codec satisfies never);
  }
}
