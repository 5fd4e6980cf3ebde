import { SerializedJson, stringifyJson } from '../../json/lossless-json.js';
import { LruCache } from '../../lru-cache.js';

/** Serialized load answers kept per container; big tables' answers are large, so only a few. */
const ENTRIES = 16;

/**
 * The JSON text of a load answer, by ETag. An ETag names an immutable metadata file and a
 * representation, and the answer carries nothing per caller, so the text never goes stale:
 * a warm loadTable serializes a table's metadata once, not on every request.
 */
export class LoadResultCache {
  private readonly texts = new LruCache<SerializedJson>(ENTRIES);

  get(etag: string, build: () => unknown): SerializedJson {
    const found = this.texts.get(etag);
    if (found !== undefined) return found;
    const serialized = new SerializedJson(stringifyJson(build()));
    this.texts.set(etag, serialized);
    return serialized;
  }
}
