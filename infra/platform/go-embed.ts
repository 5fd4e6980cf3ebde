/**
 * Reads the files a Go program embeds with `//go:embed` out of its executable, without running it.
 *
 * The SST CLI keeps its TypeScript platform (the `sst.aws.*` components that `sst.config.ts` is typed
 * against) embedded in its binary and copies it to `.sst/platform` on first use, but the same run also
 * downloads Pulumi and Bun from outside the npm registry. Reading the embedded files directly needs
 * only the binary, which npm installs (the `sst-<os>-<arch>` package).
 *
 * Layout (stable since Go 1.16, `embed.FS`): an array of `{ name string; data string; hash [16]byte }`,
 * each string a (pointer, length) pair, so 48 bytes per file on 64-bit targets (the 16-byte hash is
 * the toolchain's own and is not checked here). Directories are entries named `dir/` without data.
 */
export interface EmbeddedFile {
  readonly name: string;
  readonly data: Buffer;
}

interface Segment {
  readonly vaddr: bigint;
  readonly offset: number;
  readonly size: number;
}

const RECORD_BYTES = 48;
const MAX_NAME_BYTES = 1024;
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const NAME = /^[A-Za-z0-9_@.+\-/ ]+$/;

function elfSegments(bin: Buffer): Segment[] {
  if (bin[4] !== 2 || bin[5] !== 1) throw new Error('only 64-bit little-endian ELF executables are supported');
  const phoff = Number(bin.readBigUInt64LE(0x20));
  const phentsize = bin.readUInt16LE(0x36);
  const phnum = bin.readUInt16LE(0x38);
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (bin.readUInt32LE(at) !== 1) continue; // PT_LOAD
    segments.push({ offset: Number(bin.readBigUInt64LE(at + 8)), vaddr: bin.readBigUInt64LE(at + 16), size: Number(bin.readBigUInt64LE(at + 32)) });
  }
  return segments;
}

function machoSegments(bin: Buffer): Segment[] {
  const ncmds = bin.readUInt32LE(16);
  const segments: Segment[] = [];
  let at = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = bin.readUInt32LE(at);
    const size = bin.readUInt32LE(at + 4);
    if (cmd === 0x19) {
      // LC_SEGMENT_64
      segments.push({ vaddr: bin.readBigUInt64LE(at + 24), offset: Number(bin.readBigUInt64LE(at + 40)), size: Number(bin.readBigUInt64LE(at + 48)) });
    }
    at += size;
  }
  return segments;
}

function peSegments(bin: Buffer): Segment[] {
  const pe = bin.readUInt32LE(0x3c);
  if (bin.readUInt32LE(pe) !== 0x4550) throw new Error('not a PE executable');
  const sections = bin.readUInt16LE(pe + 6);
  const optionalSize = bin.readUInt16LE(pe + 20);
  const optional = pe + 24;
  if (bin.readUInt16LE(optional) !== 0x20b) throw new Error('only 64-bit (PE32+) executables are supported');
  const imageBase = bin.readBigUInt64LE(optional + 24);
  const segments: Segment[] = [];
  for (let i = 0; i < sections; i++) {
    const at = optional + optionalSize + i * 40;
    segments.push({ vaddr: imageBase + BigInt(bin.readUInt32LE(at + 12)), size: bin.readUInt32LE(at + 16), offset: bin.readUInt32LE(at + 20) });
  }
  return segments;
}

function segmentsOf(bin: Buffer): Segment[] {
  if (bin.readUInt32BE(0) === 0x7f454c46) return elfSegments(bin);
  if (bin.readUInt32LE(0) === 0xfeedfacf) return machoSegments(bin);
  if (bin.readUInt16BE(0) === 0x4d5a) return peSegments(bin);
  throw new Error('unknown executable format (expected ELF, Mach-O 64 or PE32+)');
}

/** Finds the embedded file system whose names include every one of `mustContain`. */
export function readGoEmbed(bin: Buffer, mustContain: readonly string[]): EmbeddedFile[] {
  const segments = segmentsOf(bin).filter((s) => s.size > 0);
  const toOffset = (vaddr: bigint, length: number): number | undefined => {
    for (const s of segments) {
      if (vaddr >= s.vaddr && vaddr + BigInt(length) <= s.vaddr + BigInt(s.size)) return s.offset + Number(vaddr - s.vaddr);
    }
    return undefined;
  };
  const u64 = (at: number): number | undefined => (bin.readUInt32LE(at + 4) === 0 ? bin.readUInt32LE(at) : undefined);

  const recordAt = (at: number): { name: string; dataOffset: number; dataLength: number } | undefined => {
    const nameLength = u64(at + 8);
    if (nameLength === undefined || nameLength === 0 || nameLength > MAX_NAME_BYTES) return undefined;
    const dataLength = u64(at + 24);
    if (dataLength === undefined || dataLength > MAX_FILE_BYTES) return undefined;
    const nameOffset = toOffset(bin.readBigUInt64LE(at), nameLength);
    if (nameOffset === undefined) return undefined;
    const name = bin.toString('latin1', nameOffset, nameOffset + nameLength);
    if (!NAME.test(name)) return undefined;
    const dataOffset = dataLength === 0 ? 0 : toOffset(bin.readBigUInt64LE(at + 16), dataLength);
    if (dataOffset === undefined) return undefined;
    return { name, dataOffset, dataLength };
  };

  // The file table holds pointers, so it sits in a data segment; scan every 8-byte-aligned offset.
  let best: EmbeddedFile[] | undefined;
  for (const s of segments) {
    const end = Math.min(bin.length, s.offset + s.size) - RECORD_BYTES;
    for (let at = s.offset + ((8 - (s.offset % 8)) % 8); at <= end; at += 8) {
      if (recordAt(at) === undefined) continue;
      const run: EmbeddedFile[] = [];
      let next = at;
      for (let record = recordAt(next); record !== undefined && next <= end; record = recordAt(next)) {
        if (!record.name.endsWith('/')) run.push({ name: record.name, data: bin.subarray(record.dataOffset, record.dataOffset + record.dataLength) });
        next += RECORD_BYTES;
      }
      const names = new Set(run.map((f) => f.name));
      if (mustContain.every((n) => names.has(n)) && (best === undefined || run.length > best.length)) best = run;
      at = Math.max(at, next - 8);
    }
  }
  if (best === undefined) throw new Error(`no embedded file system with ${mustContain.join(', ')} found`);
  return best;
}
