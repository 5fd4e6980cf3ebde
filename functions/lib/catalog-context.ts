import type { CatalogContext } from '../../core/catalog/context.js';
import { createCatalogContext } from '../../core/catalog-runtime.js';
import { loadConfig } from '../../core/config.js';
import { setLogLevel } from './logger.js';

// Configuration is read at cold start: a bad setting fails the init, not some later request.
export const config = loadConfig(process.env);
setLogLevel(config.logLevel);

let context: Promise<CatalogContext> | undefined;

/** One catalog context (store clients, caches) per container, created on first use, reused when warm. */
export function catalogContext(): Promise<CatalogContext> {
  context ??= createCatalogContext(config).catch((error: unknown) => {
    context = undefined;
    throw error;
  });
  return context;
}
