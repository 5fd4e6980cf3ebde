/**
 * One typed value of an Iceberg primitive type, as planning holds it (issue 13): decoded from a
 * manifest's bounds and partition summaries (single-value binary serialisation), from a filter's
 * JSON literal, or computed by a partition transform. The JS representation is fixed per type so
 * that every part of planning compares the same way:
 *
 * | Iceberg type | JS value |
 * |---|---|
 * | boolean | boolean |
 * | int, date (days from 1970-01-01) | number (a 32-bit integer) |
 * | long, time (µs from midnight), timestamp, timestamptz (µs), timestamp_ns, timestamptz_ns (ns) | bigint |
 * | float, double | number (NaN possible) |
 * | decimal(P, S) | { unscaled: bigint, scale: S } |
 * | string | string |
 * | uuid | string, lowercase 8-4-4-4-12 |
 * | fixed[L], binary | Uint8Array |
 *
 * `null` is the absent value. Types without an order or a single-value form (variant, geometry,
 * geography, unknown, nested types) have no Value: planning never prunes on them.
 */
export interface DecimalValue {
  readonly unscaled: bigint;
  readonly scale: number;
}

export type Value = boolean | number | bigint | string | DecimalValue | Uint8Array;
