import { randomUUID } from 'node:crypto';
import type { LocalizedText } from '#shared/i18n/localized';
import type { ResultCode } from '#shared/sync/protocol';
import { resultMessage } from '#shared/sync/resultMessages';
import type { Principal } from '../auth/principal';
import type { ServerConfig } from '../config';
import { insertRows, type InsertColumn, type Queryable } from '../db/database';
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

const AUDIT_COLUMNS: readonly InsertColumn[] = [
  { name: 'id', type: 'uuid' },
  { name: 'at', type: 'timestamptz' },
  { name: 'actor_id', type: 'uuid' },
  { name: 'subject_type', type: 'text' },
  { name: 'subject_id', type: 'uuid' },
  { name: 'item_id', type: 'uuid' },
  { name: 'action', type: 'text' },
  { name: 'from_state', type: 'text' },
  { name: 'to_state', type: 'text' },
  { name: 'reason', type: 'text' },
  { name: 'details', type: 'jsonb' },
  { name: 'mutation_id', type: 'uuid' },
  { name: 'client_created_at', type: 'timestamptz' },
  { name: 'row_version', type: 'bigint' },
];

/** One audit_events row, in {@link AUDIT_COLUMNS} order. */
export type AuditRow = readonly unknown[];

/** Inserts audit rows collected by scopes with an `auditSink`, in one statement. */
export async function insertAuditRows(tx: Queryable, rows: readonly AuditRow[]): Promise<void> {
  await insertRows(tx, 'audit_events', AUDIT_COLUMNS, rows);
}

export function createWorkScope(options: {
  readonly tx: Queryable;
  readonly principal: Principal;
  readonly now: number;
  readonly config: ServerConfig;
  readonly mutationId?: string | null;
  readonly clientCreatedAt?: string | null;
  /**
   * Where the version comes from when several units of work share one transaction (a push):
   * the caller has already taken it, outside any savepoint, so rolling one unit back never
   * gives the space row's lock up. Default: the scope takes the next version itself.
   */
  readonly takeVersion?: () => Promise<number>;
  /**
   * Collects audit rows instead of inserting them one by one; the caller inserts them (see
   * {@link insertAuditRows}) once the unit of work is known to be kept, in the same transaction.
   */
  readonly auditSink?: (row: AuditRow) => void;
}): WorkScope & { readonly versionTaken: () => number | null } {
  let version: Promise<number> | null = null;
  let taken: number | null = null;
  const takeVersion = options.takeVersion ?? (() => nextSpaceVersion(options.tx));
  const scope = {
    tx: options.tx,
    principal: options.principal,
    now: options.now,
    nowIso: new Date(options.now).toISOString(),
    config: options.config,
    mutationId: options.mutationId ?? null,
    clientCreatedAt: options.clientCreatedAt ?? null,
    version() {
      version ??= takeVersion().then((value) => {
        taken = value;
        return value;
      });
      return version;
    },
    async audit(event: AuditInput) {
      const row: AuditRow = [
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
      ];
      if (options.auditSink === undefined) {
        await insertAuditRows(options.tx, [row]);
      } else {
        options.auditSink(row);
      }
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
