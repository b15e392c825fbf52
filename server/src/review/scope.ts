import { randomUUID } from 'node:crypto';
import type { LocalizedText } from '#shared/i18n/localized';
import type { ResultCode } from '#shared/sync/protocol';
import { resultMessage } from '#shared/sync/resultMessages';
import type { Principal } from '../auth/principal';
import type { ServerConfig } from '../config';
import type { Queryable } from '../db/database';
import { nextSpaceVersion } from '../sync/version';

/** What an audit event records (who and when are filled in from the scope). */
export interface AuditInput {
  readonly subjectType: string;
  readonly subjectId: string;
  readonly itemId?: string | null;
  readonly action: string;
  readonly fromState?: string | null;
  readonly toState?: string | null;
  readonly reason?: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * One unit of work on the review data: a sync mutation or a submitter API call, inside one
 * transaction. It knows who acts and when (server time), takes the space version once, lazily,
 * and audits with both server time and the device time of decisions made offline.
 */
export interface WorkScope {
  readonly tx: Queryable;
  readonly principal: Principal;
  /** Server time of this unit of work, epoch ms and ISO. */
  readonly now: number;
  readonly nowIso: string;
  readonly config: ServerConfig;
  /** The mutation being applied, when there is one. */
  readonly mutationId: string | null;
  /** Device time of an offline decision (informational; never used for ordering). */
  readonly clientCreatedAt: string | null;
  /** The space version every row written in this transaction carries. */
  version(): Promise<number>;
  audit(event: AuditInput): Promise<void>;
}

export function createWorkScope(options: {
  readonly tx: Queryable;
  readonly principal: Principal;
  readonly now: number;
  readonly config: ServerConfig;
  readonly mutationId?: string | null;
  readonly clientCreatedAt?: string | null;
}): WorkScope & { readonly versionTaken: () => number | null } {
  let version: Promise<number> | null = null;
  let taken: number | null = null;
  const scope = {
    tx: options.tx,
    principal: options.principal,
    now: options.now,
    nowIso: new Date(options.now).toISOString(),
    config: options.config,
    mutationId: options.mutationId ?? null,
    clientCreatedAt: options.clientCreatedAt ?? null,
    version() {
      version ??= nextSpaceVersion(options.tx).then((value) => {
        taken = value;
        return value;
      });
      return version;
    },
    async audit(event: AuditInput) {
      await options.tx.query(
        `INSERT INTO audit_events (id, at, actor_id, subject_type, subject_id, item_id, action,
                                   from_state, to_state, reason, details, mutation_id,
                                   client_created_at, row_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [
          randomUUID(),
          scope.nowIso,
          options.principal.id,
          event.subjectType,
          event.subjectId,
          event.itemId ?? null,
          event.action,
          event.fromState ?? null,
          event.toState ?? null,
          event.reason ?? null,
          JSON.stringify(event.details ?? {}),
          scope.mutationId,
          scope.clientCreatedAt,
          await scope.version(),
        ],
      );
    },
    versionTaken: () => taken,
  };
  return scope;
}

/** How a mutation ended. Only `applied` keeps the transaction's writes. */
export type Outcome =
  | {
      readonly status: 'applied';
      readonly code?: ResultCode;
      readonly details?: Readonly<Record<string, unknown>>;
    }
  | {
      readonly status: 'conflict' | 'rejected';
      readonly code: ResultCode;
      readonly details?: Readonly<Record<string, unknown>>;
      readonly message?: LocalizedText;
    };

export const applied = (code?: ResultCode, details?: Record<string, unknown>): Outcome => ({
  status: 'applied',
  ...(code === undefined ? {} : { code }),
  ...(details === undefined ? {} : { details }),
});

export const conflict = (code: ResultCode, details: Record<string, unknown> = {}): Outcome => ({
  status: 'conflict',
  code,
  details,
});

export const rejected = (
  code: 'FORBIDDEN' | 'VALIDATION' | 'NOT_FOUND' | 'UNSUPPORTED',
  details: Record<string, unknown> = {},
): Outcome => ({ status: 'rejected', code, details });

/** The message stored with a result: the outcome's own, or the standard one for its code. */
export function outcomeMessage(outcome: Outcome): LocalizedText | null {
  if (outcome.status !== 'applied' && outcome.message !== undefined) {
    return outcome.message;
  }
  return outcome.code === undefined ? null : resultMessage(outcome.code, outcome.details ?? {});
}
