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

/** Set by the integration runner once it has said the spec is absent, so test processes stay quiet. */
export const ABSENCE_REPORTED_ENV = 'OPENAPI_SPEC_ABSENCE_REPORTED';

/** True when the spec file is absent; says so on stderr unless the runner already did. */
export function reportAbsentSpec(path: string = specPath(), env: NodeJS.ProcessEnv = process.env): boolean {
  if (existsSync(path)) return false;
  if (env[ABSENCE_REPORTED_ENV] !== '1') {
    process.stderr.write(`OpenAPI validation off: ${path} not found (set ${SPEC_ENV} to the Iceberg REST spec to switch it on)\n`);
  }
  return true;
}

/** The parsed document, or undefined (said on stderr, once per run) when the file is absent. */
export function loadOpenApiDocument(path: string = specPath()): unknown {
  return reportAbsentSpec(path) ? undefined : parse(readFileSync(path, 'utf8'));
}
