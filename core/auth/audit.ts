import type { Clock } from '../clock.js';
import { ServiceUnavailableError } from '../errors.js';
import type { JsonValue } from '../json/lossless-json.js';
import { LruCache } from '../lru-cache.js';
import type { RecordStore } from '../store/record-store.js';
import type { AuthKeys } from './auth-keys.js';
import type { AccessCheck } from './authorizer.js';
import { principalLabel, type Principal } from './principal.js';
import { describeResource, resourceEntityId } from './resources.js';

/**
 * One structured record per mutation and per denied request, each its own object under
 * `sys/audit/<yyyy>/<mm>/<dd>/<hh>/` written with If-None-Match (append-only: nothing overwrites or
 * edits it), through the RecordStore like every record.
 *
 * A mutation's record is written before the mutation runs: if the write fails, the request fails
 * with 503 and nothing changes, so no change is ever made unaudited. A denial's record is written
 * before the denial is answered; if that write fails the request is still denied.
 *
 * Denials are rationed per principal: any authenticated caller can send denied requests as fast as
 * it likes, and one object per denial would let it drive store writes (and cost) without bound. Per
 * container, the first DENIALS_RECORDED_PER_WINDOW denials of a principal in a DENIAL_WINDOW_MS
 * window are written; later ones are counted, logged by the caller (a log line, not an object), and
 * the count is written in the principal's next denial record (`suppressedBefore`). Allowed mutations
 * are never rationed: each is a change, and its record is the proof it was authorized.
 */
export const DENIALS_RECORDED_PER_WINDOW = 20;
export const DENIAL_WINDOW_MS = 60_000;

interface DenialWindow {
  readonly startedAt: number;
  written: number;
  /** Denials not written since this principal's last written denial. */
  suppressed: number;
}

export interface AuditEvent {
  readonly requestId: string;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly principal: Principal;
  readonly checks: readonly AccessCheck[];
  readonly decision: 'allow' | 'deny';
  /** For a denial: 403, or 404 when the caller may not see the resource. */
  readonly status?: number;
  readonly policies: readonly string[];
  /** For a denial: how many of this principal's denials before it were not written (rationed). */
  readonly suppressedBefore?: number;
}

export class AuditLog {
  /** Bounded: one entry per recently denied principal; an evicted one simply starts a new window. */
  private readonly denials: LruCache<DenialWindow>;
  /** Suppressed counts not yet written, per principal (bounded like the windows). */
  private readonly carried = new LruCache<number>(10_000);

  constructor(
    private readonly records: RecordStore,
    private readonly keys: AuthKeys,
    private readonly clock: Clock,
  ) {
    this.denials = new LruCache<DenialWindow>(10_000, DENIAL_WINDOW_MS, () => clock.now());
  }

  /**
   * Records a denial unless this principal's budget for the window is spent: then nothing is
   * written and 'suppressed' is returned (the caller logs it). Throws like `record` when a write fails.
   */
  async recordDenial(event: Omit<AuditEvent, 'decision' | 'suppressedBefore'>): Promise<'recorded' | 'suppressed'> {
    const label = principalLabel(event.principal);
    const now = this.clock.now();
    let window = this.denials.get(label);
    if (window === undefined) {
      window = { startedAt: now, written: 0, suppressed: this.carried.get(label) ?? 0 };
      this.carried.delete(label);
      this.denials.set(label, window, DENIAL_WINDOW_MS);
    }
    if (window.written >= DENIALS_RECORDED_PER_WINDOW) {
      window.suppressed++;
      // Carried into the next window's first record, even after this entry expires.
      this.carried.set(label, window.suppressed);
      return 'suppressed';
    }
    window.written++;
    const suppressedBefore = window.suppressed;
    window.suppressed = 0;
    this.carried.delete(label);
    await this.record({ ...event, decision: 'deny', ...(suppressedBefore > 0 ? { suppressedBefore } : {}) });
    return 'recorded';
  }

  /** Throws ServiceUnavailableError when the record could not be written. */
  async record(event: AuditEvent): Promise<string> {
    const at = new Date(this.clock.now());
    const key = this.keys.auditRecord(at, event.requestId);
    const value: JsonValue = {
      at: at.toISOString(),
      requestId: event.requestId,
      principal: {
        label: principalLabel(event.principal),
        type: event.principal.type,
        id: event.principal.id,
        groups: [...event.principal.groups],
        authMethod: event.principal.authMethod,
      },
      operation: event.operation,
      request: { method: event.method, path: event.path },
      resources: event.checks.map((c) => ({ action: c.action, type: c.resource.type, id: resourceEntityId(c.resource), description: describeResource(c.resource) })),
      decision: event.decision,
      ...(event.status !== undefined ? { status: event.status } : {}),
      ...(event.suppressedBefore !== undefined ? { suppressedBefore: event.suppressedBefore } : {}),
      policies: [...event.policies],
    };
    let written: Awaited<ReturnType<RecordStore['create']>>;
    try {
      written = await this.records.create(key, value);
    } catch (error) {
      throw new ServiceUnavailableError('The audit log is unavailable; the request was not carried out', { cause: error });
    }
    if (!written.ok) throw new ServiceUnavailableError('The audit log is unavailable; the request was not carried out');
    return key;
  }
}
