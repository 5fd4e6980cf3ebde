/**
 * How every function is bundled: the same esbuild settings for `sst deploy` (passed to SST's Node.js
 * builder) and for `scripts/build-functions.ts`, which measures what would be deployed.
 *
 * The AWS SDK is bundled, not left external: the SDK version inside the Lambda runtime changes
 * without notice, and bundling lets esbuild keep only the S3 (and later KMS/SQS) commands used.
 */
/**
 * Node 24: Node 22's V8 (12.4) aborts the process ("Fatal error: unreachable code" in the
 * deoptimizer's builtin continuations) under the route fuzzer's hostile input, within a few
 * thousand requests; Node 24's does not (docs/security.md, "Names and request input").
 */
export const NODE_TARGET = 'node24';
export const LAMBDA_RUNTIME = 'nodejs24.x';
export const LAMBDA_ARCHITECTURE = 'arm64';

export interface BundleSettings {
  readonly format: 'esm';
  readonly minify: boolean;
  readonly sourcemap: boolean;
  readonly target: string;
  /** ESM builds of dependencies first, so esbuild can drop their unused exports. */
  readonly mainFields: readonly string[];
  /**
   * Dynamically imported modules (the S3, KMS and SQS clients, the Avro reader, core/crypto) go to
   * their own chunks, loaded on the first request that needs them, so a route's cold init and
   * download carry only what its code path imports at the top.
   */
  readonly splitting: boolean;
}

export const BUNDLE: BundleSettings = {
  format: 'esm',
  minify: true,
  sourcemap: true,
  target: NODE_TARGET,
  mainFields: ['module', 'main'],
  splitting: true,
};

/**
 * The banner SST's Node.js builder puts on every ESM bundle (bundled CommonJS code may still call
 * `require` for Node built-ins); the build script adds it too, so measured bundles match deployed ones.
 */
export const SST_ESM_BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
].join('\n');

/** A file a function needs beside its bundle at run time, relative to the project root and to the bundle. */
export interface FunctionAsset {
  readonly from: string;
  readonly to: string;
}

/**
 * Cedar's WebAssembly module: core/auth/cedar/cedar-wasm.ts loads `./cedar_wasm_bg.wasm` next to the
 * running module. Every function that authorizes ships it (4.3 MB; compiled on the first request).
 */
export const CEDAR_WASM_ASSET: FunctionAsset = {
  from: 'node_modules/@cedar-policy/cedar-wasm/web/cedar_wasm_bg.wasm',
  to: 'cedar_wasm_bg.wasm',
};
