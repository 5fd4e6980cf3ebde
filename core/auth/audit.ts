import type { Clock } from '../clock.js';
import { ServiceUnavailableError } from '../errors.js';
import type { JsonValue } from '../json/lossless-json.js';
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
 */
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
}

export class AuditLog {
  constructor(
    private readonly records: RecordStore,
    private readonly keys: AuthKeys,
    private readonly clock: Clock,
  ) {}

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
