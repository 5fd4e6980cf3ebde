/**
 * Generates `.sst/platform` (the types `sst.config.ts` is checked against) without an AWS account and
 * without any download from outside the npm registry. This is what `sst install` does, step by step:
 *
 * 1. copy the platform sources embedded in the SST binary (npm package `sst-<os>-<arch>`): read
 *    here straight from the executable, because running the CLI first downloads Pulumi and Bun
 *    from GitHub, and it looks provider versions up at registry URLs some npm mirrors lack;
 * 2. install the platform's npm dependencies plus the AWS provider (`npm install`, npm registry only;
 *    SST uses Bun for this);
 * 3. write `config.d.ts`, which declares `$config`, `sst` and the `aws` provider namespace.
 *
 * Runs in a few hundred milliseconds when `.sst/platform` is already prepared for this SST version;
 * the first run installs about 260 MB of packages (mostly `@pulumi/aws`), once per clone.
 *
 *   node --import tsx infra/platform/prepare-platform.ts [--force]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AWS_PROVIDER_VERSION } from '../app.js';
import { readGoEmbed } from './go-embed.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PLATFORM = join(ROOT, '.sst', 'platform');
const MARKER = join(PLATFORM, '.prepared-offline.json');
/** Type packages the platform sources import (`bun`, `archiver`); the rest of its devDependencies are its own tests. */
const TYPE_PACKAGES = ['@types/bun', '@types/archiver', '@types/aws-lambda'];

interface PackageJson {
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function sstBinary(): { version: string; path: string } {
  const version = readJson<PackageJson>(join(ROOT, 'node_modules', 'sst', 'package.json')).version;
  if (version === undefined) throw new Error('node_modules/sst/package.json has no version: run npm ci');
  const arch = process.arch === 'ia32' ? 'x86' : process.arch;
  const pkg = `sst-${process.platform}-${arch}`;
  const file = process.platform === 'win32' ? 'sst.exe' : 'sst';
  const candidates = [join(ROOT, 'node_modules', pkg, 'bin', file), join(ROOT, 'node_modules', 'sst', 'node_modules', pkg, 'bin', file)];
  const path = candidates.find((c) => existsSync(c));
  if (path === undefined) throw new Error(`the SST binary package ${pkg} is not installed (npm ci installs it as an optional dependency of sst)`);
  return { version, path };
}

/** `config.d.ts` as `sst install` writes it for an app whose only provider is `aws`. */
const CONFIG_D_TS = `import "./src/global.d.ts"
import { AppInput, App, Config } from "./src/config"
import _aws, { ProviderArgs as _awsArgs } from "@pulumi/aws";


declare global {
  // @ts-expect-error
  export import aws = _aws
  interface Providers {
    providers: {
      aws?:  (_awsArgs & { version?: string }) | boolean | string;
    }
  }
  export const $config: (
    input: Omit<Config, "app"> & {
      app(input: AppInput): Promise<Omit<App, "providers"> & Providers> | (Omit<App, "providers"> & Providers);
    },
  ) => Config;
}
`;

function npm(args: string[], cwd: string): void {
  const execPath = process.env['npm_execpath'];
  const [command, argv] = execPath !== undefined && execPath.endsWith('.js') ? [process.execPath, [execPath, ...args]] : ['npm', args];
  const result = spawnSync(command, argv, { cwd, stdio: 'inherit', shell: process.platform === 'win32' && command === 'npm' });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed in ${cwd} (exit ${result.status ?? result.signal})`);
}

export function preparePlatform(options: { force?: boolean; log?: (line: string) => void } = {}): void {
  const log = options.log ?? ((line: string) => console.log(line));
  const sst = sstBinary();
  const wanted = { sst: sst.version, aws: AWS_PROVIDER_VERSION };
  if (!options.force && existsSync(MARKER) && existsSync(join(PLATFORM, 'node_modules', '@pulumi', 'aws', 'package.json'))) {
    const prepared = readJson<typeof wanted>(MARKER);
    if (prepared.sst === wanted.sst && prepared.aws === wanted.aws) return;
  }

  log(`preparing .sst/platform for sst ${sst.version} (aws provider ${AWS_PROVIDER_VERSION}) from ${sst.path}`);
  const files = readGoEmbed(readFileSync(sst.path), ['package.json', 'tsconfig.json', 'src/config.ts', 'src/global.d.ts']);
  rmSync(PLATFORM, { recursive: true, force: true });
  for (const file of files) {
    const target = join(PLATFORM, file.name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.data);
  }
  // The CLI compares this with its own version and leaves a matching platform in place.
  writeFileSync(join(PLATFORM, 'version'), sst.version);

  const pkgPath = join(PLATFORM, 'package.json');
  const pkg = readJson<PackageJson>(pkgPath);
  const pinnedAws = pkg.dependencies?.['@pulumi/aws'];
  if (pinnedAws !== AWS_PROVIDER_VERSION) {
    log(`note: sst ${sst.version} was built against @pulumi/aws ${pinnedAws ?? '(none)'}; infra/app.ts pins ${AWS_PROVIDER_VERSION}`);
  }
  pkg.dependencies = { ...pkg.dependencies, '@pulumi/aws': AWS_PROVIDER_VERSION };
  pkg.devDependencies = Object.fromEntries(Object.entries(pkg.devDependencies ?? {}).filter(([name]) => TYPE_PACKAGES.includes(name)));
  writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(join(PLATFORM, 'config.d.ts'), CONFIG_D_TS);

  log(`installing the platform's npm dependencies into .sst/platform/node_modules (first run only)`);
  npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], PLATFORM);
  writeFileSync(MARKER, `${JSON.stringify(wanted)}\n`);
  log(`.sst/platform ready: ${files.length} platform files`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  preparePlatform({ force: process.argv.includes('--force') });
}
