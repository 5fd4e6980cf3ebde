import { parseJson, stringifyJson, type JsonValue } from '../json/lossless-json.js';

/**
 * How a catalog record becomes bytes at rest. The key is passed so an encrypting codec can bind it as
 * additional authenticated data: a record copied under another key must fail to decode.
 */
export interface RecordCodec {
  encode(key: string, value: JsonValue): Promise<Uint8Array>;
  decode(key: string, bytes: Uint8Array): Promise<JsonValue>;
}

/** Plain lossless JSON. */
export class JsonRecordCodec implements RecordCodec {
  async encode(_key: string, value: JsonValue): Promise<Uint8Array> {
    return new TextEncoder().encode(stringifyJson(value));
  }

  async decode(_key: string, bytes: Uint8Array): Promise<JsonValue> {
    return parseJson(new TextDecoder().decode(bytes));
  }
}
