import type { LogLevel } from '../../core/config.js';

/** Structured JSON log lines, one object per line, as CloudWatch Logs Insights and Powertools expect. */
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Fields a caller cannot overwrite: the line's own level, message and time always win. */
const RESERVED = new Set(['level', 'message', 'timestamp']);

let threshold: LogLevel = 'info';

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/** bigint (64-bit ids) as its decimal text; JSON.stringify would throw on it. */
function jsonSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** The JSON line for one entry; a field that cannot be serialized (a cycle) never loses the entry. */
export function formatLogLine(level: LogLevel, message: string, fields: Record<string, unknown>, now: Date = new Date()): string {
  const own = Object.fromEntries(Object.entries(fields).filter(([key]) => !RESERVED.has(key)));
  const entry = { level, message, timestamp: now.toISOString(), ...own };
  try {
    return JSON.stringify(entry, jsonSafe);
  } catch (error) {
    return JSON.stringify({ level, message, timestamp: entry.timestamp, logError: `fields not serializable: ${String(error)}` });
  }
}

export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < ORDER[threshold]) return;
  const line = formatLogLine(level, message, fields);
  if (level === 'error' || level === 'warn') process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}
