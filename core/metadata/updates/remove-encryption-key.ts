import { recordChange, type Draft } from '../draft.js';
import type { RemoveEncryptionKeyUpdate } from '../types.js';

export function applyRemoveEncryptionKey(draft: Draft, update: RemoveEncryptionKeyUpdate): Draft {
  const keys = draft.metadata.encryptionKeys;
  if (!keys.some((key) => key.keyId === update.keyId)) return draft;
  return recordChange(draft, { encryptionKeys: keys.filter((key) => key.keyId !== update.keyId) }, update);
}
