import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigurationError } from '../errors.js';
import { AES_KEY_BYTES } from './aes-gcm.js';
import { isErrno } from '../errno.js';

/**
 * The master keys of the embedded mode. A keyring is a list of `<id>:<base64 of 32 bytes>` entries
 * (one per line in a file, or comma-separated in an environment value); the first one is active and
 * wraps new data keys, the others still unwrap the data keys of records written before a rotation.
 * Records name their master key id in the header, so a rotation rewrites no record.
 *
 *   # catalog master keys: the first one is active
 *   mk-9f2c4e1a:q8kV...=
 *   mk-0b7d33c2:Zp1X...=
 *
 * A bare base64 key (no id) is accepted too; its id is derived from its hash.
 */
export interface MasterKey {
  readonly id: string;
  readonly key: Uint8Array;
}

export interface MasterKeyring {
  readonly active: MasterKey;
  readonly keys: ReadonlyMap<string, Uint8Array>;
}

/** Created in the data folder on first start when no key is configured. */
export const DEFAULT_MASTER_KEY_FILE = 'master-keys.txt';
/** Owner read/write only. */
export const MASTER_KEY_FILE_MODE = 0o600;

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]{43}=?$/;
const FILE_HEADER = '# Catalog master keys (AES-256, base64). The first key is active; the others still decrypt.\n# Rotate by adding a new key on the first line; never remove a key while records use it.\n';

/** Parses a keyring; `source` names where it came from in errors, which never contain key material. */
export function parseMasterKeyring(text: string, source: string): MasterKeyring {
  const entries = text
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new ConfigurationError(`${source}: no master key`);
  const keys = new Map<string, Uint8Array>();
  const ordered: MasterKey[] = [];
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const encoded = colon < 0 ? entry : entry.slice(colon + 1).trim();
    if (!BASE64.test(encoded)) {
      throw new ConfigurationError(`${source}: master key #${index + 1} is not the base64 encoding of ${AES_KEY_BYTES} bytes`);
    }
    const key = new Uint8Array(Buffer.from(encoded, 'base64'));
    const id = colon < 0 ? derivedKeyId(key) : entry.slice(0, colon).trim();
    if (!KEY_ID.test(id)) throw new ConfigurationError(`${source}: master key #${index + 1} has an invalid id (1-64 of A-Z a-z 0-9 . _ -)`);
    if (keys.has(id)) throw new ConfigurationError(`${source}: master key id '${id}' appears twice`);
    keys.set(id, key);
    ordered.push({ id, key });
  });
  return { active: ordered[0]!, keys };
}

export function formatMasterKeyring(keys: readonly MasterKey[]): string {
  return FILE_HEADER + keys.map((k) => `${k.id}:${Buffer.from(k.key).toString('base64')}\n`).join('');
}

export function newMasterKey(): MasterKey {
  return { id: `mk-${randomUUID().slice(0, 8)}`, key: new Uint8Array(randomBytes(AES_KEY_BYTES)) };
}

/** Reads a keyring file, refusing one that others than its owner may read. */
export async function readMasterKeyFile(path: string): Promise<MasterKeyring> {
  await checkPrivate(path);
  return parseMasterKeyring(await readFile(path, 'utf8'), path);
}

/**
 * Reads the keyring file, or creates it (mode 0600, one fresh key) when absent. Creation is
 * atomic, also across processes: the content is written to a private temporary file that is then
 * linked into place, so a concurrent starter either wins or reads the complete winner.
 */
export async function loadOrCreateMasterKeyFile(path: string): Promise<{ keyring: MasterKeyring; created: boolean }> {
  try {
    return { keyring: await readMasterKeyFile(path), created: false };
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
  await mkdir(dirname(path), { recursive: true });
  const temp = await writePrivateTemp(path, formatMasterKeyring([newMasterKey()]));
  try {
    await link(temp, path);
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    return { keyring: await readMasterKeyFile(path), created: false };
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  return { keyring: await readMasterKeyFile(path), created: true };
}

/**
 * Adds a fresh active key in front of the file's keys (atomic replace, mode 0600) and returns it.
 * Running processes pick it up when they meet a record under an id they do not know, or at restart.
 */
export async function rotateMasterKeyFile(path: string): Promise<MasterKey> {
  const current = await readMasterKeyFile(path);
  const fresh = newMasterKey();
  const kept = [...current.keys].map(([id, key]) => ({ id, key }));
  await rename(await writePrivateTemp(path, formatMasterKeyring([fresh, ...kept])), path);
  return fresh;
}

function derivedKeyId(key: Uint8Array): string {
  return `mk-${createHash('sha256').update('iceberg-catalog master key id').update(key).digest('hex').slice(0, 8)}`;
}

async function writePrivateTemp(path: string, text: string): Promise<string> {
  const temp = `${path}.tmp-${randomUUID()}`;
  const handle = await open(temp, 'wx', MASTER_KEY_FILE_MODE);
  try {
    await handle.chmod(MASTER_KEY_FILE_MODE);
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

async function checkPrivate(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new ConfigurationError(`${path}: master key file is readable by others (mode ${mode.toString(8)}); run chmod 600 on it`);
  }
}
