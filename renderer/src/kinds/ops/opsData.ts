import { useCallback, useEffect, useState } from 'react';
import { addCalendarDays, shanghaiDate } from '#shared/domain/time';
import type { ListingReminder } from '#shared/domain/listing/reminders';
import type { OpsAlert } from '#shared/ops/alerts';
import type { OpsBoardReport } from '#shared/ops/board';
import type { OpsHealthReport } from '#shared/ops/health';
import type { KpiReport } from '#shared/ops/kpis';
import type { ReviewDeskDb } from '../../db/database';
import { NetworkError, type FetchLike, type Transport } from '../../sync/transport';
import { browserFetch, serverTransport, type Workspace } from '../../workspace/workspace';

/**
 * The ops console's figures: computed by the server (`GET /api/v1/ops/kpis`, `/ops/health` for
 * the charts, `/ops/board` for the funnel and course board, `/ops/alerts`) and kept on the device (the `meta` table, one entry per range), so the console opens offline with
 * the last figures and says how old they are.
 */

export interface OpsFigures {
  readonly report: KpiReport;
  /** The charts' figures; null in figures cached before the console had charts. */
  readonly health: OpsHealthReport | null;
  /** The submission funnel and the course board; null in figures cached before they existed. */
  readonly board: OpsBoardReport | null;
  readonly alerts: readonly OpsAlert[];
  /** Unread listing reminders (drafts and rejections waiting on an institution); null: none known. */
  readonly reminders: readonly ListingReminder[] | null;
  /** Device time the server answered (ms). */
  readonly fetchedAt: number;
}

export type OpsFiguresState =
  | { readonly status: 'loading' }
  | {
      readonly status: 'ready';
      readonly figures: OpsFigures;
      /** `cache`: the server could not be reached; these are the last figures fetched. */
      readonly source: 'server' | 'cache';
    }
  | { readonly status: 'offline' }
  | {
      readonly status: 'error';
      readonly code: string;
      readonly message: string;
      /** The last figures of this range, still shown under the error. */
      readonly cached: OpsFigures | null;
    };

export interface OpsRange {
  readonly from: string;
  readonly to: string;
}

/** The last 30 Shanghai days up to today, by the server's clock. */
export function defaultOpsRange(serverNowMs: number): OpsRange {
  const to = shanghaiDate(serverNowMs);
  return { from: addCalendarDays(to, -29), to };
}

const CACHE_PREFIX = 'ops:figures:';
const cacheKey = (range: OpsRange) => `${CACHE_PREFIX}${range.from}:${range.to}`;

export async function cachedFigures(db: ReviewDeskDb, range: OpsRange): Promise<OpsFigures | null> {
  const row = await db.meta.get(cacheKey(range));
  const figures = row?.value as
    (Omit<OpsFigures, 'health' | 'board' | 'reminders'> & Partial<OpsFigures>) | undefined;
  return figures === undefined
    ? null
    : {
        ...figures,
        health: figures.health ?? null,
        board: figures.board ?? null,
        reminders: figures.reminders ?? null,
      };
}

interface ErrorAnswer {
  readonly error?: { readonly code?: string; readonly message?: string };
}

export class OpsRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OpsRequestError';
  }
}

async function getJson<T>(transport: Transport, path: string): Promise<T> {
  const answer = await transport.get<T & ErrorAnswer>(path);
  if (answer.status !== 200) {
    throw new OpsRequestError(
      answer.body.error?.code ?? `HTTP_${String(answer.status)}`,
      answer.body.error?.message ?? `the server answered ${String(answer.status)}`,
    );
  }
  return answer.body;
}

/**
 * A figure an older server may not have: null when it answers with an error (404 for a route it
 * lacks) or a body of another shape, so the rest of the console still shows.
 */
async function optionalJson<T>(
  transport: Transport,
  path: string,
  isValid: (body: Partial<T>) => boolean,
): Promise<T | null> {
  try {
    const body = await getJson<Partial<T>>(transport, path);
    return isValid(body) ? (body as T) : null;
  } catch (error) {
    if (error instanceof OpsRequestError) {
      return null;
    }
    throw error;
  }
}

/** Fetches the figures of `range` from the server and keeps them on the device. */
export async function fetchFigures(
  workspace: Workspace,
  range: OpsRange,
  fetch: FetchLike = browserFetch,
  now: () => number = () => Date.now(),
): Promise<OpsFigures> {
  const transport = serverTransport(workspace, fetch);
  const query = `from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`;
  const report = await getJson<KpiReport>(transport, `/api/v1/ops/kpis?${query}`);
  const health = await getJson<OpsHealthReport>(transport, `/api/v1/ops/health?${query}`);
  const board = await optionalJson<OpsBoardReport>(
    transport,
    `/api/v1/ops/board?${query}`,
    (body) => Array.isArray(body.funnel?.steps) && Array.isArray(body.course?.chapters),
  );
  const reminders = await optionalJson<{ reminders: ListingReminder[] }>(
    transport,
    '/api/v1/ops/reminders',
    (body) => Array.isArray(body.reminders),
  );
  const { alerts } = await getJson<{ alerts: OpsAlert[] }>(transport, '/api/v1/ops/alerts');
  const figures: OpsFigures = {
    report,
    health,
    board,
    alerts,
    reminders: reminders?.reminders ?? null,
    fetchedAt: now(),
  };
  await workspace.db.meta.put({ key: cacheKey(range), value: figures });
  return figures;
}

/**
 * Acknowledges an alert on the server (it needs the network: an alert is taken by the first ops
 * manager who answers it, which only the server can tell), then writes the answer into every
 * cached range that lists the alert, so the console and the status bar badge agree at once.
 */
export async function acknowledgeOpsAlert(
  workspace: Workspace,
  alertId: string,
  fetch: FetchLike = browserFetch,
): Promise<OpsAlert> {
  const transport = serverTransport(workspace, fetch);
  const answer = await transport.post<{ alert: OpsAlert } & ErrorAnswer>(
    `/api/v1/ops/alerts/${encodeURIComponent(alertId)}/acknowledge`,
    {},
  );
  if (answer.status !== 200) {
    throw new OpsRequestError(
      answer.body.error?.code ?? `HTTP_${String(answer.status)}`,
      answer.body.error?.message ?? `the server answered ${String(answer.status)}`,
    );
  }
  const { alert } = answer.body;
  await workspace.db.transaction('rw', workspace.db.meta, async () => {
    const cached = await workspace.db.meta.where('key').startsWith(CACHE_PREFIX).toArray();
    for (const row of cached) {
      const figures = row.value as OpsFigures;
      const listed = (figures.alerts as readonly OpsAlert[] | undefined) ?? [];
      if (listed.some((each) => each.id === alert.id)) {
        await workspace.db.meta.put({
          key: row.key,
          value: {
            ...figures,
            alerts: listed.map((each) => (each.id === alert.id ? alert : each)),
          },
        });
      }
    }
  });
  return alert;
}

/** The figures of `range`: the cached ones at once, then the server's when it answers. */
export function useOpsFigures(
  workspace: Workspace,
  range: OpsRange,
): { readonly state: OpsFiguresState; readonly reload: () => void } {
  const [state, setState] = useState<OpsFiguresState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => {
    setAttempt((value) => value + 1);
  }, []);
  useEffect(() => {
    let current = true;
    const load = async () => {
      const cached = await cachedFigures(workspace.db, range);
      if (current && cached !== null) {
        setState({ status: 'ready', figures: cached, source: 'cache' });
      }
      try {
        const figures = await fetchFigures(workspace, range);
        if (current) {
          setState({ status: 'ready', figures, source: 'server' });
        }
      } catch (error) {
        if (!current) {
          return;
        }
        if (error instanceof NetworkError) {
          setState(
            cached === null
              ? { status: 'offline' }
              : { status: 'ready', figures: cached, source: 'cache' },
          );
        } else if (error instanceof OpsRequestError) {
          setState({ status: 'error', code: error.code, message: error.message, cached });
        } else {
          setState({
            status: 'error',
            code: 'UNEXPECTED',
            message: error instanceof Error ? error.message : String(error),
            cached,
          });
        }
      }
    };
    void load();
    return () => {
      current = false;
    };
  }, [workspace, range, attempt]);
  return { state, reload };
}
