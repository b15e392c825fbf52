import { useCallback, useEffect, useState } from 'react';
import { shanghaiDate } from '#shared/domain/time';
import {
  SettlementMonthError,
  settlementMonth,
  type CommissionRun,
  type SettlementMonthProblem,
} from '#shared/ops/settlement';
import type { ReviewDeskDb } from '../../db/database';
import {
  NetworkError,
  type FetchLike,
  type HttpAnswer,
  type Transport,
} from '../../sync/transport';
import { browserFetch, serverTransport, type Workspace } from '../../workspace/workspace';

/**
 * A month's commission run as the server keeps it (`server/src/ops/settlement.ts`:
 * `POST /api/v1/ops/settlements`, `GET /api/v1/ops/settlements/:month`, `…/:month/approve`),
 * and the device's copy of the last one fetched (the `meta` table, as the ops console keeps its
 * figures), so the screen shows it offline and says how old it is.
 *
 * Proposing and approving are not outbox mutations: the run is computed on the server from
 * data the device does not hold (every order and referral link), and approving must approve
 * exactly the run the server holds. Both therefore need the network, and the screen says so.
 */

export interface FetchedRun {
  readonly run: CommissionRun;
  /** Device time the server answered (ms). */
  readonly fetchedAt: number;
}

export class SettlementRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'SettlementRequestError';
  }
}

/** The Shanghai month before the one `nowMs` falls in, `YYYY-MM`. */
export function previousMonth(nowMs: number): string {
  const [year = 0, month = 1] = shanghaiDate(nowMs).split('-').map(Number);
  return month === 1
    ? `${String(year - 1)}-12`
    : `${String(year)}-${String(month - 1).padStart(2, '0')}`;
}

/** Why `month` cannot be settled at `nowMs` (the shared rule), or null when it can. */
export function monthProblem(month: string, nowMs: number): SettlementMonthProblem | null {
  try {
    settlementMonth(month, nowMs);
    return null;
  } catch (error) {
    if (error instanceof SettlementMonthError) {
      return error.problem;
    }
    throw error;
  }
}

const cacheKey = (month: string) => `settlement:run:${month}`;

export async function cachedRun(db: ReviewDeskDb, month: string): Promise<FetchedRun | null> {
  const row = await db.meta.get(cacheKey(month));
  const fetched = row?.value as
    | (Omit<FetchedRun, 'run'> & {
        run: Omit<CommissionRun, 'memberNames'> & Partial<CommissionRun>;
      })
    | undefined;
  // Runs cached before the server named members have no names: the ids still show.
  return fetched === undefined
    ? null
    : { ...fetched, run: { ...fetched.run, memberNames: fetched.run.memberNames ?? {} } };
}

interface ErrorAnswer {
  readonly error?: {
    readonly code?: string;
    readonly message?: string;
    readonly details?: Record<string, unknown>;
  };
}

function checked<T>(answer: HttpAnswer<T & ErrorAnswer>): T {
  if (answer.status !== 200) {
    const error = answer.body.error;
    throw new SettlementRequestError(
      error?.code ?? `HTTP_${String(answer.status)}`,
      error?.message ?? `the server answered ${String(answer.status)}`,
      error?.details ?? {},
    );
  }
  return answer.body;
}

export interface SettlementApi {
  /** The month's run, or null when none was proposed. */
  readonly get: (month: string) => Promise<FetchedRun | null>;
  readonly propose: (month: string) => Promise<FetchedRun>;
  readonly approve: (month: string) => Promise<FetchedRun>;
}

export function settlementApi(
  workspace: Workspace,
  fetch: FetchLike = browserFetch,
  now: () => number = () => Date.now(),
): SettlementApi {
  const transport: Transport = serverTransport(workspace, fetch);
  const keep = async (run: CommissionRun): Promise<FetchedRun> => {
    const fetched: FetchedRun = { run, fetchedAt: now() };
    await workspace.db.meta.put({ key: cacheKey(run.month), value: fetched });
    return fetched;
  };
  const path = (month: string) => `/api/v1/ops/settlements/${encodeURIComponent(month)}`;
  return {
    async get(month) {
      const answer = await transport.get<CommissionRun & ErrorAnswer>(path(month));
      if (answer.status === 404) {
        await workspace.db.meta.delete(cacheKey(month));
        return null;
      }
      return keep(checked(answer));
    },
    async propose(month) {
      return keep(
        checked(
          await transport.post<CommissionRun & ErrorAnswer>('/api/v1/ops/settlements', { month }),
        ),
      );
    },
    async approve(month) {
      return keep(
        checked(await transport.post<CommissionRun & ErrorAnswer>(`${path(month)}/approve`, {})),
      );
    },
  };
}

export type RunState =
  | { readonly status: 'loading' }
  | {
      readonly status: 'ready';
      /** null: the server has no run of this month yet. */
      readonly fetched: FetchedRun | null;
      /**
       * `cache`: the device's copy, shown while the server answers; `unreachable`: the server
       * could not be reached, this is the last run fetched.
       */
      readonly source: 'server' | 'cache' | 'unreachable';
    }
  | { readonly status: 'offline' };

export interface RunActionError {
  readonly code: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

function actionError(error: unknown): RunActionError {
  if (error instanceof SettlementRequestError) {
    return { code: error.code, message: error.message, details: error.details };
  }
  if (error instanceof NetworkError) {
    return { code: 'OFFLINE', message: error.message, details: {} };
  }
  return {
    code: 'UNEXPECTED',
    message: error instanceof Error ? error.message : String(error),
    details: {},
  };
}

/** The run of `month`: the device's copy at once, then the server's; propose and approve. */
export function useSettlementRun(
  workspace: Workspace,
  month: string,
  api: SettlementApi,
): {
  readonly state: RunState;
  readonly error: RunActionError | null;
  readonly busy: boolean;
  readonly propose: () => void;
  readonly approve: () => void;
} {
  // Tagged with their month: another month's run or error is "loading" for this one.
  const [tagged, setTagged] = useState<{ month: string; state: RunState } | null>(null);
  const [taggedError, setTaggedError] = useState<{
    month: string;
    error: RunActionError;
  } | null>(null);
  const [busy, setBusy] = useState(false);
  const state: RunState = tagged?.month === month ? tagged.state : { status: 'loading' };
  const error = taggedError?.month === month ? taggedError.error : null;
  const setState = useCallback(
    (next: RunState | ((previous: RunState) => RunState)) => {
      setTagged((previous) => ({
        month,
        state:
          typeof next === 'function'
            ? next(previous?.month === month ? previous.state : { status: 'loading' })
            : next,
      }));
    },
    [month],
  );
  const setError = useCallback(
    (next: RunActionError | null) => {
      setTaggedError(next === null ? null : { month, error: next });
    },
    [month],
  );
  useEffect(() => {
    let current = true;
    const load = async () => {
      const cached = await cachedRun(workspace.db, month);
      if (current && cached !== null) {
        setState({ status: 'ready', fetched: cached, source: 'cache' });
      }
      try {
        const fetched = await api.get(month);
        if (current) {
          setState({ status: 'ready', fetched, source: 'server' });
        }
      } catch (failure) {
        if (!current) {
          return;
        }
        if (failure instanceof NetworkError) {
          setState(
            cached === null
              ? { status: 'offline' }
              : { status: 'ready', fetched: cached, source: 'unreachable' },
          );
        } else {
          setError(actionError(failure));
          setState({ status: 'ready', fetched: cached, source: 'cache' });
        }
      }
    };
    void load();
    return () => {
      current = false;
    };
  }, [workspace, month, api, setState, setError]);
  const act = useCallback(
    (action: (month: string) => Promise<FetchedRun>) => {
      setBusy(true);
      setError(null);
      action(month)
        .then((fetched) => {
          setState({ status: 'ready', fetched, source: 'server' });
        })
        .catch((failure: unknown) => {
          setError(actionError(failure));
          if (failure instanceof NetworkError) {
            setState((previous) =>
              previous.status === 'ready'
                ? { ...previous, source: 'unreachable' }
                : { status: 'offline' },
            );
          }
        })
        .finally(() => {
          setBusy(false);
        });
    },
    [month, setState, setError],
  );
  const propose = useCallback(() => {
    act(api.propose);
  }, [act, api]);
  const approve = useCallback(() => {
    act(api.approve);
  }, [act, api]);
  return { state, error, busy, propose, approve };
}
