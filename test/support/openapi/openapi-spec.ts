import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * Where the Iceberg REST OpenAPI document lives. It is read at test time and never copied into the
 * project: the shared checkout beside the repository (`../shared/iceberg/...`), or the file named by
 * ICEBERG_OPENAPI_SPEC.
 */
export const SPEC_ENV = 'ICEBERG_OPENAPI_SPEC';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export function specPath(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[SPEC_ENV];
  return configured !== undefined && configured !== '' ? resolve(configured) : join(REPO_ROOT, '..', 'shared', 'iceberg', 'rest-catalog-open-api.yaml');
}

/** The parsed document, or undefined (said once on stderr) when the file is absent. */
export function loadOpenApiDocument(path: string = specPath()): unknown {
  if (!existsSync(path)) {
    process.stderr.write(`OpenAPI validation off: ${path} not found (set ${SPEC_ENV} to the Iceberg REST spec to switch it on)\n`);
    return undefined;
  }
  return parse(readFileSync(path, 'utf8'));
}
