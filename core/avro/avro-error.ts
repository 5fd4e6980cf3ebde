/**
 * Every way an Avro file can be malformed, truncated, hostile or unsupported surfaces as this one
 * error, so a caller purging a table can tell "this file is unreadable" from a bug in the reader.
 * It deliberately is not a CatalogError: whether an unreadable manifest is a client error, a skipped
 * file or a 500 is the caller's decision.
 */
export class AvroError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AvroError';
  }
}
