import { recordChange, type Draft } from '../draft.js';
import type { AddEncryptionKeyUpdate } from '../types.js';

/** A key id names one key for good: re-adding it is a no-op, never a silent replacement. */
export function applyAddEncryptionKey(draft: Draft, update: AddEncryptionKeyUpdate): Draft {
  const keys = draft.metadata.encryptionKeys;
  if (keys.some((key) => key.keyId === update.encryptionKey.keyId)) return draft;
  return recordChange(draft, { encryptionKeys: [...keys, update.encryptionKey] }, update);
}
