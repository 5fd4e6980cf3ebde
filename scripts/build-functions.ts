/**
 * Bundles every live function the way `sst deploy` does (infra/bundle.ts: esbuild, ESM, node24,
 * minified, source maps, the AWS SDK bundled and tree-shaken) into dist/functions/<operationId>/,
 * prints each bundle's size and measures its cold module init: the bundle is imported by a fresh
 * `node` process, timed from the start of the import to a callable `handler`, a few times; the
 * median is reported.
 *
 *   node --import tsx scripts/build-functions.ts [--samples 5] [--no-init]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { BUNDLE, SST_ESM_BANNER } from '../infra/bundle.js';
import { JOB_WORKER, ROUTE_FUNCTIONS, type FunctionSpec } from '../infra/functions.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'dist', 'functions');

export interface BuiltFunction {
  readonly spec: FunctionSpec;
  /** dist/functions/<id>/index.mjs */
  readonly outfile: string;
  /** What a cold start loads: the entry and the chunks it imports statically (not the lazy ones). */
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Every chunk of the function, including those only a dynamic import loads. */
  readonly totalBytes: number;
  readonly sourcemapBytes: number;
  /** Bytes of the bundle per npm package (or `(project)`), largest first. */
  readonly composition: readonly { readonly source: string; readonly bytes: number }[];
}

export interface InitTiming {
  readonly samplesMs: readonly number[];
  readonly medianMs: number;
}

/** The environment a deployed function starts with (infra/environment.ts), with placeholder names. */
export const LAMBDA_LIKE_ENV: Readonly<Record<string, string>> = {
  CATALOG_STORE: 's3',
  CATALOG_BUCKET: 'catalog-bucket',
  CATALOG_WAREHOUSES: 'default=s3://warehouse-bucket/warehouse',
  CATALOG_PATH_ENCODING: 'decoded',
  CATALOG_LOG_LEVEL: 'warn',
  CATALOG_ENCRYPTION: 'kms',
  CATALOG_KMS_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/records',
  AWS_REGION: 'us-east-1',
};

export function deployableFunctions(): FunctionSpec[] {
  const live = ROUTE_FUNCTIONS.filter((f) => f.live);
  return existsSync(join(ROOT, JOB_WORKER.entry)) ? [...live, JOB_WORKER] : live;
}

function outputId(spec: FunctionSpec): string {
  return spec.operationId ?? spec.name.charAt(0).toLowerCase() + spec.name.slice(1);
}

function packageOf(path: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path.split('\\').join('/'));
  return match === null ? '(project)' : match[1]!;
}

export async function buildFunction(spec: FunctionSpec, outDir = OUT_DIR): Promise<BuiltFunction> {
  const outfile = join(outDir, outputId(spec), 'index.mjs');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { index: join(ROOT, spec.entry) },
    outdir: dirname(outfile),
    outExtension: { '.js': '.mjs' },
    splitting: BUNDLE.splitting,
    bundle: true,
    platform: 'node',
    format: BUNDLE.format,
    target: BUNDLE.target,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap ? 'linked' : false,
    mainFields: [...BUNDLE.mainFields],
    // As SST's builder: names kept for stack traces and error types.
    keepNames: true,
    banner: { js: SST_ESM_BANNER },
    legalComments: 'none',
    metafile: true,
    logLevel: 'error',
  });
  for (const asset of spec.assets) await copyFile(join(ROOT, asset.from), join(dirname(outfile), asset.to));
  const outputs = result.metafile.outputs;
  // Lazily imported modules are entry points of their own chunks: the function's entry is index.mjs.
  const entry = Object.keys(outputs).find((path) => join(ROOT, path) === outfile)!;
  // Follow static imports only: dynamically imported chunks load on the first request that needs them.
  const atInit = new Set<string>([entry]);
  for (const path of atInit) for (const imported of outputs[path]!.imports) if (imported.kind === 'import-statement' && outputs[imported.path] !== undefined) atInit.add(imported.path);
  const jsOutputs = Object.keys(outputs).filter((path) => path.endsWith('.mjs'));
  const bytes = [...atInit].reduce((sum, path) => sum + outputs[path]!.bytes, 0);
  const totalBytes = jsOutputs.reduce((sum, path) => sum + outputs[path]!.bytes, 0);
  const sourcemapBytes = BUNDLE.sourcemap ? (await Promise.all([...atInit].map(async (path) => (await stat(join(ROOT, `${path}.map`))).size))).reduce((a, b) => a + b, 0) : 0;
  const gzipBytes = (await Promise.all([...atInit].map(async (path) => gzipSync(await readFile(join(ROOT, path))).length))).reduce((a, b) => a + b, 0);
  const bySource = new Map<string, number>();
  for (const path of atInit) {
    for (const [source, input] of Object.entries(outputs[path]!.inputs)) bySource.set(packageOf(source), (bySource.get(packageOf(source)) ?? 0) + input.bytesInOutput);
  }
  const composition = [...bySource].map(([source, size]) => ({ source, bytes: size })).sort((a, b) => b.bytes - a.bytes);
  return { spec, outfile, bytes, gzipBytes, totalBytes, sourcemapBytes, composition };
}

export async function buildFunctions(specs: readonly FunctionSpec[] = deployableFunctions(), outDir = OUT_DIR): Promise<BuiltFunction[]> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  return Promise.all(specs.map((spec) => buildFunction(spec, outDir)));
}

/** argv[1]: the entry; argv[2]: \`lazy\` to also import every other chunk, as a first request may. */
const INIT_PROBE = `
const { readdirSync } = await import('node:fs');
const started = performance.now();
const module = await import(process.argv[1]);
if (typeof module.handler !== 'function') throw new Error('no handler export');
if (process.argv[2] === 'lazy') {
  const dir = new URL('.', process.argv[1]);
  for (const name of readdirSync(dir)) if (name.endsWith('.mjs') && name !== 'index.mjs') await import(new URL(name, dir).href);
}
process.stdout.write(JSON.stringify({ ms: performance.now() - started }));
`;

/**
 * Imports \`outfile\` in fresh \`node\` processes, \`samples\` times; each time from import to handler.
 * With \`withLazyChunks\`, also every chunk only a dynamic import loads: the module loading a cold
 * container's first requests can add, at most.
 */
export function measureInit(outfile: string, samples = 5, nodeOptions: readonly string[] = [], withLazyChunks = false): InitTiming {
  const samplesMs: number[] = [];
  for (let i = 0; i < samples; i++) {
    const run = spawnSync(process.execPath, [...nodeOptions, '--input-type=module', '-e', INIT_PROBE, pathToFileURL(outfile).href, withLazyChunks ? 'lazy' : 'entry'], {
      env: { PATH: process.env['PATH'] ?? '', ...LAMBDA_LIKE_ENV },
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (run.status !== 0) throw new Error(`init of ${outfile} failed: ${run.stderr}`);
    samplesMs.push((JSON.parse(run.stdout) as { ms: number }).ms);
  }
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { samplesMs, medianMs: sorted[Math.floor(sorted.length / 2)]! };
}

export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const samplesAt = argv.indexOf('--samples');
  const samples = samplesAt >= 0 ? Number(argv[samplesAt + 1]) : 5;
  const built = await buildFunctions();
  console.log(`${built.length} functions bundled into ${relative(ROOT, OUT_DIR)}/ (esbuild ${esbuild.version}, ${BUNDLE.format}, ${BUNDLE.target}, minified, source maps)\n`);
  console.log(['function', 'loaded at init', 'gzip', 'all chunks', 'source map', argv.includes('--no-init') ? '' : `init (median of ${samples})`].join('\t'));
  for (const fn of built) {
    const init = argv.includes('--no-init') ? '' : `${measureInit(fn.outfile, samples).medianMs.toFixed(1)} ms`;
    console.log([fn.spec.name, kib(fn.bytes), kib(fn.gzipBytes), kib(fn.totalBytes), kib(fn.sourcemapBytes), init].join('\t'));
  }
  const largest = [...built].sort((a, b) => b.bytes - a.bytes)[0];
  if (largest !== undefined) {
    console.log(`\nlargest: ${largest.spec.name}; by source: ${largest.composition.slice(0, 6).map((c) => `${c.source} ${kib(c.bytes)}`).join(', ')}`);
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main();
}
