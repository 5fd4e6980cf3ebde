import { readFileSync } from 'node:fs';
import * as cedar from '@cedar-policy/cedar-wasm/web';

/**
 * Loads Cedar's WebAssembly build once per container, synchronously, on first use.
 *
 * The package's `web` build is plain ESM (it bundles with esbuild unchanged) and takes the wasm
 * bytes from us. They are looked up next to the running module first (a bundled function ships
 * `cedar_wasm_bg.wasm` beside its `index.mjs`), then in node_modules (tsx, `npm start`, tests). The
 * package's `nodejs` build is CommonJS reading `__dirname`, which an ESM bundle does not have.
 */
export type CedarWasm = typeof cedar;

export const CEDAR_WASM_FILE = 'cedar_wasm_bg.wasm';

function candidates(): URL[] {
  const found: URL[] = [new URL(`./${CEDAR_WASM_FILE}`, import.meta.url)];
  try {
    found.push(new URL(CEDAR_WASM_FILE, import.meta.resolve('@cedar-policy/cedar-wasm/web')));
  } catch {
    // Not resolvable (a bundle without node_modules): only the file beside the module remains.
  }
  return found;
}

function wasmBytes(): Uint8Array {
  const tried: string[] = [];
  for (const url of candidates()) {
    try {
      return readFileSync(url);
    } catch {
      tried.push(url.href);
    }
  }
  throw new Error(`Cedar WebAssembly module not found; looked at ${tried.join(', ')}`);
}

let loaded: CedarWasm | undefined;

export function cedarWasm(): CedarWasm {
  if (loaded === undefined) {
    cedar.initSync({ module: wasmBytes() });
    loaded = cedar;
  }
  return loaded;
}
