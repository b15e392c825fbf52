import { isRecord } from '#shared/domain/listing/document';
import { shanghaiDate } from '#shared/domain/time';
import type { LocalizedText } from '#shared/i18n/localized';
import { resultMessage } from '#shared/sync/resultMessages';
import type { AuditEventRecord, TimeEntryRecord } from '#shared/sync/rows';
import { mutationItemId } from '#shared/sync/view';
import type { OutboxRow, ResultRow } from '../../db/database';

/**
 * An item's history: the server's audit events (the item's own, and those of its listing that
 * name no item, such as takedowns), merged with this user's mutations the server has not
 * answered yet and answers whose audit events have not been pulled yet. Every entry carries the
 * server time when there is one and the device time of the decision when the server recorded
 * it (offline decisions), so the view can show both side by side.
 */
export type HistoryStatus = 'pending' | 'syncing' | 'applied' | 'conflict' | 'rejected';

export interface Transition {
  readonly subject: 'item' | 'listing' | 'other';
  readonly from: string | null;
  readonly to: string | null;
}

export interface HistoryEntry {
  readonly key: string;
  /** An audit action (`claim`, `approve`, `take_offline`, …). */
  readonly action: string;
  readonly actorId: string | null;
  readonly serverTime: string | null;
  readonly deviceTime: string | null;
  readonly transitions: readonly Transition[];
  readonly reason: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  /** null for server events; the state of this user's own unconfirmed mutations otherwise. */
  readonly status: HistoryStatus | null;
  /** Why the server did not apply it (conflicts and rejections). */
  readonly problem: LocalizedText | null;
}

/** Audit action names of the mutations (`takedown` is audited as `take_offline`). */
const MUTATION_ACTIONS: Readonly<Record<string, string>> = {
  claim: 'claim',
  renewLease: 'renew_lease',
  release: 'release',
  approve: 'approve',
  reject: 'reject',
  comment: 'comment',
  assign: 'assign',
  takedown: 'take_offline',
  forceTakedown: 'force_takedown',
  gradeHomework: 'grade',
  mentorReview: 'mentor_review',
  replyEscalation: 'reply',
  closeEscalation: 'closed',
};

function listingIdOf(args: unknown): string | null {
  return isRecord(args) && typeof args['listingId'] === 'string' ? args['listingId'] : null;
}

/** Whether a mutation belongs to this item's history. */
function concerns(args: unknown, itemId: string, listingId: string | null): boolean {
  return mutationItemId(args) === itemId || (listingId !== null && listingIdOf(args) === listingId);
}

/** Details shown for a mutation of mine, in the shape the server's audit events use. */
function detailsOf(name: string, args: unknown): Record<string, unknown> {
  if (!isRecord(args)) {
    return {};
  }
  switch (name) {
    case 'approve':
    case 'reject':
      return {
        reasons: Array.isArray(args['reasons']) ? args['reasons'] : [],
        comments: Array.isArray(args['comments']) ? args['comments'].length : 0,
      };
    case 'comment':
      return { path: args['path'], reasonCode: args['reasonCode'] ?? 'other', text: args['text'] };
    case 'assign':
      return { assigneeId: args['assigneeId'] };
    default:
      return {};
  }
}

function reasonOf(name: string, args: unknown): string | null {
  return (name === 'takedown' || name === 'forceTakedown') &&
    isRecord(args) &&
    typeof args['reason'] === 'string'
    ? args['reason']
    : null;
}

const subjectOf = (event: AuditEventRecord): Transition['subject'] =>
  event.subjectType === 'review_item'
    ? 'item'
    : event.subjectType === 'listing'
      ? 'listing'
      : 'other';

export function buildHistory(input: {
  readonly itemId: string;
  readonly listingId: string | null;
  readonly userId: string;
  readonly audit: readonly AuditEventRecord[];
  readonly outbox: readonly OutboxRow[];
  readonly results: readonly ResultRow[];
}): HistoryEntry[] {
  const { itemId, listingId, userId } = input;
  const events = input.audit.filter(
    (event) =>
      event.itemId === itemId ||
      (event.itemId === null && listingId !== null && event.subjectId === listingId),
  );

  // One action touches the item and its listing at once (a claim moves both): one entry.
  const grouped = new Map<string, AuditEventRecord[]>();
  for (const event of events) {
    const key = [event.action, event.actorId ?? '', event.at, event.clientCreatedAt ?? ''].join(
      '|',
    );
    const list = grouped.get(key) ?? [];
    list.push(event);
    grouped.set(key, list);
  }
  const entries: HistoryEntry[] = [];
  for (const group of grouped.values()) {
    const first = group.find((event) => event.subjectType === 'review_item') ?? group[0];
    if (first === undefined) {
      continue;
    }
    const details: Record<string, unknown> = {};
    for (const event of group) {
      Object.assign(details, event.details);
    }
    entries.push({
      key: `event:${first.id}`,
      action: first.action,
      actorId: first.actorId,
      serverTime: first.at,
      deviceTime: first.clientCreatedAt,
      transitions: group
        .filter((event) => event.fromState !== null || event.toState !== null)
        .map((event) => ({ subject: subjectOf(event), from: event.fromState, to: event.toState })),
      reason: group.find((event) => event.reason !== null && event.reason !== '')?.reason ?? null,
      details,
      status: null,
      problem: null,
    });
  }

  const audited = new Set(
    events
      .filter((event) => event.actorId === userId && event.clientCreatedAt !== null)
      .map((event) => event.clientCreatedAt),
  );
  for (const result of input.results) {
    if (result.name === 'logTime' || !concerns(result.args, itemId, listingId)) {
      continue;
    }
    const applied = result.status === 'applied' || result.status === 'duplicate';
    if (applied && result.createdAt !== null && audited.has(result.createdAt)) {
      continue;
    }
    entries.push({
      key: `result:${String(result.seq)}`,
      action: MUTATION_ACTIONS[result.name] ?? result.name,
      actorId: userId,
      serverTime: result.serverTime,
      deviceTime: result.createdAt,
      transitions: [],
      reason: reasonOf(result.name, result.args),
      details: detailsOf(result.name, result.args),
      status: applied ? 'applied' : result.status === 'rejected' ? 'rejected' : 'conflict',
      problem: applied
        ? null
        : result.code !== null
          ? resultMessage(result.code, result.details)
          : (result.message ?? null),
    });
  }

  for (const row of input.outbox) {
    if (row.name === 'logTime' || !concerns(row.args, itemId, listingId)) {
      continue;
    }
    entries.push({
      key: `outbox:${String(row.seq)}`,
      action: MUTATION_ACTIONS[row.name] ?? row.name,
      actorId: userId,
      serverTime: null,
      deviceTime: row.createdAt,
      transitions: [],
      reason: reasonOf(row.name, row.args),
      details: detailsOf(row.name, row.args),
      status: row.status === 'sending' ? 'syncing' : 'pending',
      problem: row.atRisk?.message ?? null,
    });
  }

  // Oldest first; what the server has not seen yet comes last, in the order it was made.
  const rank = (entry: HistoryEntry) =>
    entry.status === 'pending' || entry.status === 'syncing' ? 1 : 0;
  return entries.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.serverTime ?? a.deviceTime ?? '').localeCompare(b.serverTime ?? b.deviceTime ?? '') ||
      a.key.localeCompare(b.key),
  );
}

/**
 * Whether an entry's device time is worth showing beside its server time: the decision was made
 * more than a minute before the server got it (offline, or a slow sync).
 */
export function deviceTimeDiffers(entry: Pick<HistoryEntry, 'serverTime' | 'deviceTime'>) {
  if (entry.serverTime === null || entry.deviceTime === null) {
    return entry.deviceTime !== null;
  }
  const server = Date.parse(entry.serverTime);
  const device = Date.parse(entry.deviceTime);
  return Number.isFinite(server) && Number.isFinite(device) && Math.abs(server - device) > 60_000;
}

export interface TimeRow {
  readonly key: string;
  readonly userId: string;
  readonly startedAt: string;
  readonly seconds: number;
  /** Server time it arrived; null while it is still on this device. */
  readonly recordedAt: string | null;
}

export interface TimeTotal {
  readonly userId: string;
  /** Shanghai calendar day the time was spent on (by the slice's start). */
  readonly day: string;
  readonly seconds: number;
  /** Some of it is still on this device. */
  readonly pending: boolean;
}

/**
 * Time spent on an item: the synced entries plus this user's `logTime` slices still on the
 * device (or accepted but not pulled yet), and their sums per reviewer and Shanghai day.
 */
export function buildTimeSummary(input: {
  readonly itemId: string;
  readonly userId: string;
  readonly entries: readonly TimeEntryRecord[];
  readonly outbox: readonly OutboxRow[];
  readonly results: readonly ResultRow[];
}): { readonly rows: readonly TimeRow[]; readonly totals: readonly TimeTotal[] } {
  const rows: TimeRow[] = input.entries
    .filter((entry) => entry.itemId === input.itemId)
    .map((entry) => ({
      key: `entry:${entry.id}`,
      userId: entry.userId,
      startedAt: entry.startedAt,
      seconds: entry.seconds,
      recordedAt: entry.recordedAt,
    }));
  const synced = new Set(
    rows
      .filter((row) => row.userId === input.userId)
      .map((row) => `${String(Date.parse(row.startedAt))}|${String(row.seconds)}`),
  );
  const local = (key: string, args: unknown, recordedAt: string | null): TimeRow | null => {
    if (
      !isRecord(args) ||
      args['itemId'] !== input.itemId ||
      typeof args['seconds'] !== 'number' ||
      typeof args['startedAt'] !== 'string'
    ) {
      return null;
    }
    const identity = `${String(Date.parse(args['startedAt']))}|${String(args['seconds'])}`;
    if (synced.has(identity)) {
      return null;
    }
    return {
      key,
      userId: input.userId,
      startedAt: args['startedAt'],
      seconds: args['seconds'],
      recordedAt,
    };
  };
  for (const result of input.results) {
    if (
      result.name === 'logTime' &&
      (result.status === 'applied' || result.status === 'duplicate')
    ) {
      const row = local(`result:${String(result.seq)}`, result.args, result.serverTime);
      if (row !== null) {
        rows.push(row);
      }
    }
  }
  for (const entry of input.outbox) {
    if (entry.name === 'logTime') {
      const row = local(`outbox:${String(entry.seq)}`, entry.args, null);
      if (row !== null) {
        rows.push(row);
      }
    }
  }
  rows.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.key.localeCompare(b.key));

  const totals = new Map<
    string,
    { userId: string; day: string; seconds: number; pending: boolean }
  >();
  for (const row of rows) {
    const at = Date.parse(row.startedAt);
    if (!Number.isFinite(at)) {
      continue;
    }
    const day = shanghaiDate(at);
    const key = `${day}|${row.userId}`;
    const total = totals.get(key) ?? { userId: row.userId, day, seconds: 0, pending: false };
    total.seconds += row.seconds;
    total.pending ||= row.recordedAt === null;
    totals.set(key, total);
  }
  return {
    rows,
    totals: [...totals.values()].sort(
      (a, b) => b.day.localeCompare(a.day) || a.userId.localeCompare(b.userId),
    ),
  };
}

/** `1 h 05 min`, `12 min 30 s`, `45 s`. */
export function formatDuration(totalSeconds: number, locale: 'zh-CN' | 'en'): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (locale === 'zh-CN') {
    if (h > 0) {
      return `${String(h)} 小时 ${String(m)} 分钟`;
    }
    return m > 0 ? `${String(m)} 分 ${String(s)} 秒` : `${String(s)} 秒`;
  }
  if (h > 0) {
    return `${String(h)} h ${String(m).padStart(2, '0')} min`;
  }
  return m > 0 ? `${String(m)} min ${String(s)} s` : `${String(s)} s`;
}
