import { useCallback, useEffect, useState } from 'react';
import {
  isQuarterHours,
  MAX_DAY_HOURS,
  suggestedHours,
  type ActualCell,
  type ActualProject,
  type ActualsReport,
  type ActualsWeek,
} from '#shared/ops/actuals';
import type { ReviewDeskDb } from '../../db/database';
import { NetworkError, type FetchLike, type HttpAnswer } from '../../sync/transport';
import { browserFetch, serverTransport, type Workspace } from '../../workspace/workspace';

/**
 * The timesheet's data: a member's week and the ops report from the server
 * (`server/src/ops/actualsRoutes.ts`), each kept on the device (`db.meta`) when fetched so the
 * screen shows it offline with its age. Saving is not an outbox mutation: the server checks
 * closed months and day totals against what it holds, and the week is saved as a whole, so a
 * queued save could land on a month ops closed meanwhile. Saving therefore needs the network;
 * unsaved changes stay on the screen.
 */

export interface Fetched<T> {
  readonly value: T;
  /** Device time the server answered (ms). */
  readonly fetchedAt: number;
}

export class ActualsRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ActualsRequestError';
  }
}

interface ErrorAnswer {
  readonly error?: { readonly code?: string; readonly message?: string };
}

function checked<T>(answer: HttpAnswer<T & ErrorAnswer>): T {
  if (answer.status !== 200) {
    throw new ActualsRequestError(
      answer.body.error?.code ?? `HTTP_${String(answer.status)}`,
      answer.body.error?.message ?? `the server answered ${String(answer.status)}`,
      answer.status,
    );
  }
  return answer.body;
}

const weekKey = (monday: string, memberId: string) => `actuals:week:${memberId}:${monday}`;
const reportKey = (from: string, to: string) => `actuals:report:${from}:${to}`;

async function cached<T>(db: ReviewDeskDb, key: string): Promise<Fetched<T> | null> {
  const row = await db.meta.get(key);
  return (row?.value as Fetched<T> | undefined) ?? null;
}

export interface ActualsApi {
  /** A week of the signed-in member, or (ops managers) of `memberId`. */
  readonly week: (monday: string, memberId?: string) => Promise<Fetched<ActualsWeek>>;
  /** Saves cells; correcting someone else's week (ops) takes a reason. */
  readonly save: (
    monday: string,
    cells: readonly ActualCell[],
    options?: { readonly reason?: string; readonly memberId?: string },
  ) => Promise<Fetched<ActualsWeek>>;
  readonly report: (from: string, to: string) => Promise<Fetched<ActualsReport>>;
}

/** The timesheet API (own week; for ops, anyone's week and the report). */
export function actualsApi(
  workspace: Workspace,
  fetch: FetchLike = browserFetch,
  now: () => number = () => Date.now(),
): ActualsApi {
  const transport = serverTransport(workspace, fetch);
  const self = workspace.session.user.id;
  const keep = async <T>(key: string, value: T): Promise<Fetched<T>> => {
    const fetched = { value, fetchedAt: now() };
    await workspace.db.meta.put({ key, value: fetched });
    return fetched;
  };
  const path = (monday: string) => `/api/v1/actuals/weeks/${encodeURIComponent(monday)}`;
  return {
    async week(monday, memberId = self) {
      const query = memberId === self ? '' : `?memberId=${encodeURIComponent(memberId)}`;
      const week = checked(await transport.get<ActualsWeek & ErrorAnswer>(path(monday) + query));
      return keep(weekKey(monday, memberId), week);
    },
    async save(monday, cells, { reason = '', memberId = self } = {}) {
      const week = checked(
        await transport.post<ActualsWeek & ErrorAnswer>(path(monday), {
          cells,
          reason,
          ...(memberId === self ? {} : { memberId }),
        }),
      );
      return keep(weekKey(monday, memberId), week);
    },
    async report(from, to) {
      const query = `?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
      const report = checked(
        await transport.get<ActualsReport & ErrorAnswer>(`/api/v1/actuals/report${query}`),
      );
      if (!Array.isArray((report as Partial<ActualsReport>).members)) {
        // Not a report (a server without team actuals, or something in between): not shown.
        throw new ActualsRequestError('NOT_A_REPORT', 'the server sent no team actuals', 200);
      }
      return keep(reportKey(from, to), report);
    },
  };
}

export type LoadState<T> =
  | { readonly status: 'loading' }
  | {
      readonly status: 'ready';
      readonly fetched: Fetched<T>;
      /** `cache`: the device's copy while the server answers; `unreachable`: offline. */
      readonly source: 'server' | 'cache' | 'unreachable';
    }
  | { readonly status: 'offline' }
  | { readonly status: 'error'; readonly code: string; readonly message: string };

/** The device's copy at once, then the server's; offline keeps the copy. */
export function useCachedFetch<T>(
  db: ReviewDeskDb,
  key: string,
  load: () => Promise<Fetched<T>>,
): [LoadState<T>, (next: Fetched<T>) => void] {
  const [tagged, setTagged] = useState<{ key: string; state: LoadState<T> } | null>(null);
  const state: LoadState<T> = tagged?.key === key ? tagged.state : { status: 'loading' };
  useEffect(() => {
    let current = true;
    const set = (next: LoadState<T>) => {
      if (current) {
        setTagged({ key, state: next });
      }
    };
    void (async () => {
      const copy = await cached<T>(db, key);
      if (copy !== null) {
        set({ status: 'ready', fetched: copy, source: 'cache' });
      }
      try {
        set({ status: 'ready', fetched: await load(), source: 'server' });
      } catch (failure) {
        if (failure instanceof NetworkError) {
          set(
            copy === null
              ? { status: 'offline' }
              : { status: 'ready', fetched: copy, source: 'unreachable' },
          );
        } else {
          set({
            status: 'error',
            code: failure instanceof ActualsRequestError ? failure.code : 'UNEXPECTED',
            message: failure instanceof Error ? failure.message : String(failure),
          });
        }
      }
    })();
    return () => {
      current = false;
    };
  }, [db, key, load]);
  const replace = useCallback(
    (next: Fetched<T>) => {
      setTagged({ key, state: { status: 'ready', fetched: next, source: 'server' } });
    },
    [key],
  );
  return [state, replace];
}

export const weekCacheKey = weekKey;
export const reportCacheKey = reportKey;

// ── The grid: projects × days, as text the member types ─────────────────────────────────────

/** `projectId day` → what the cell shows ('' for no hours). */
export type GridValues = Readonly<Record<string, string>>;
export const cellKey = (projectId: string, day: string) => `${projectId} ${day}`;

const hoursText = (hours: number) => String(hours);

/** The projects of the grid: the active ones, and retired ones that hold hours this week. */
export function gridProjects(week: ActualsWeek): ActualProject[] {
  const used = new Set(week.entries.map((entry) => entry.projectId));
  return week.projects.filter((project) => project.active || used.has(project.id));
}

export function gridValues(week: ActualsWeek): GridValues {
  return Object.fromEntries(
    week.entries.map((entry) => [cellKey(entry.projectId, entry.day), hoursText(entry.hours)]),
  );
}

/** A cell's hours: 0 when empty, null when not a number of quarter hours in [0, 24]. */
export function parseHours(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') {
    return 0;
  }
  if (!/^\d+(\.\d+)?$/.test(trimmed)) {
    return null;
  }
  const hours = Number(trimmed);
  return hours <= MAX_DAY_HOURS && isQuarterHours(hours) ? hours : null;
}

/** Sum of the cells of each day (invalid cells count 0). */
export function dayTotals(week: ActualsWeek, values: GridValues): Record<string, number> {
  const projects = gridProjects(week);
  return Object.fromEntries(
    week.days.map((day) => [
      day,
      projects.reduce(
        (sum, project) => sum + (parseHours(values[cellKey(project.id, day)] ?? '') ?? 0),
        0,
      ),
    ]),
  );
}

/**
 * The cells that differ from the server's week (0 hours: remove), keeping each entry's note;
 * null when a cell is not a valid number.
 */
export function changedCells(week: ActualsWeek, values: GridValues): ActualCell[] | null {
  const saved = new Map(week.entries.map((entry) => [cellKey(entry.projectId, entry.day), entry]));
  const cells: ActualCell[] = [];
  for (const project of gridProjects(week)) {
    for (const day of week.days) {
      const key = cellKey(project.id, day);
      const hours = parseHours(values[key] ?? '');
      if (hours === null) {
        return null;
      }
      const before = saved.get(key);
      if ((before?.hours ?? 0) !== hours) {
        cells.push({ projectId: project.id, day, hours, note: before?.note ?? '' });
      }
    }
  }
  return cells;
}

/**
 * Fills each writable day that has no hours yet with that day's recorded focus time (rounded
 * to a quarter hour) on `projectId`; days with hours, locked days and days without recorded
 * time are left as they are.
 */
export function prefillFromRecorded(
  week: ActualsWeek,
  values: GridValues,
  projectId: string,
): GridValues {
  const totals = dayTotals(week, values);
  const recorded = new Map(week.recorded.map((day) => [day.day, day.hours]));
  const next: Record<string, string> = { ...values };
  for (const { day, lock } of week.editable) {
    const suggestion = suggestedHours(recorded.get(day) ?? 0);
    if (lock === null && (totals[day] ?? 0) === 0 && suggestion > 0) {
      next[cellKey(projectId, day)] = hoursText(suggestion);
    }
  }
  return next;
}
