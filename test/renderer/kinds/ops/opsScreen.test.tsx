import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OpsAlert } from '#shared/ops/alerts';
import type { OpsBoardReport } from '#shared/ops/board';
import type { OpsHealthReport } from '#shared/ops/health';
import type { KpiFigure, KpiReport } from '#shared/ops/kpis';
import { kpiTrend } from '../../../../renderer/src/kinds/ops/OpsScreen';
import { fakeFetch, json, makeUser, renderSignedIn } from '../../app/harness';

function figure(overrides: Partial<KpiFigure> & Pick<KpiFigure, 'id'>): KpiFigure {
  return {
    value: 0.5,
    unit: 'ratio',
    target: 0.7,
    goal: 'atLeast',
    met: false,
    sample: 10,
    previous: 0.4,
    ...overrides,
  };
}

const REPORT: KpiReport = {
  from: '2026-11-01',
  to: '2026-11-30',
  asOf: '2026-11-30T16:00:00.000Z',
  kpis: [
    figure({ id: 'draft_to_submit', value: 0.75, met: true, sample: 8, previous: 0.5 }),
    figure({ id: 'first_pass_approval', value: 0.4, target: 0.6, sample: 5, previous: null }),
    figure({
      id: 'preparation_days',
      unit: 'days',
      value: 1.6875,
      target: 3,
      goal: 'atMost',
      met: true,
      sample: 4,
      previous: 1,
    }),
    figure({
      id: 'rejection_response_hours',
      unit: 'hours',
      value: 24,
      target: 48,
      goal: 'atMost',
      met: true,
      sample: 2,
      previous: null,
      unanswered: 1,
    }),
  ],
};

const ALERTS: OpsAlert[] = [
  {
    id: 'a1',
    rule: 'submission_spike',
    day: '2026-11-15',
    raisedAt: '2026-11-15T05:30:00.000Z',
    value: 40,
    threshold: 20,
    details: {},
  },
];

const HEALTH: OpsHealthReport = {
  from: REPORT.from,
  to: REPORT.to,
  asOf: REPORT.asOf,
  queue: [{ kind: 'listing_revision', waiting: 3, inReview: 1, overdue: 2 }],
  rejectionReasons: {
    granularity: 'day',
    counts: [{ period: '2026-11-03', reason: 'missing_material', count: 2 }],
    rejections: 3,
    withoutReason: 1,
  },
  throughput: [
    {
      userId: 'u1',
      displayName: 'Wang Fang',
      role: 'reviewer',
      decided: 6,
      hours: 1.5,
      itemsPerHour: 4,
    },
    { userId: 'u2', displayName: 'Li Lei', role: 'ta', decided: 2, hours: 0, itemsPerHour: null },
  ],
  timePerItem: [],
};

const BOARD: OpsBoardReport = {
  from: REPORT.from,
  to: REPORT.to,
  asOf: REPORT.asOf,
  funnel: {
    started: 8,
    steps: [
      { step: 'basic', reached: 8, completed: 7 },
      { step: 'highlights', reached: 7, completed: 7 },
      { step: 'packages', reached: 7, completed: 4 },
      { step: 'process', reached: 4, completed: 4 },
      { step: 'requirements', reached: 4, completed: 4 },
      { step: 'risk', reached: 4, completed: 4 },
      { step: 'credentials', reached: 4, completed: 3 },
    ],
    submitted: 3,
  },
  course: {
    students: 20,
    activeStudents: 5,
    averageProgressPercent: 37.25,
    chapters: [{ chapter: '第1章', submitted: 10, passed: 6 }],
  },
};

/** The ops endpoints as the server answers them; anything else 200 {}. */
function opsServer(answer: (url: URL) => Response | undefined) {
  return fakeFetch((url) => {
    const parsed = new URL(url);
    if (parsed.pathname === '/auth/refresh') {
      return json(200, { accessToken: 'access', refreshToken: 'refresh-2' });
    }
    return answer(parsed) ?? json(200, {});
  });
}

const tiles = (): Record<string, string | null> =>
  Object.fromEntries(
    screen
      .getAllByTestId('kpi-tile')
      .map((tile) => [tile.getAttribute('data-kpi') ?? '', tile.getAttribute('data-value')]),
  );

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ops console', () => {
  it('shows the KPI tiles with targets and trends and the alerts, then the same figures offline', async () => {
    const online = opsServer((url) =>
      url.pathname === '/api/v1/ops/kpis'
        ? json(200, REPORT)
        : url.pathname === '/api/v1/ops/health'
          ? json(200, HEALTH)
          : url.pathname === '/api/v1/ops/board'
            ? json(200, BOARD)
            : url.pathname === '/api/v1/ops/alerts'
              ? json(200, { alerts: ALERTS })
              : undefined,
    );
    vi.stubGlobal('fetch', online);
    window.location.hash = '#/ops';
    const machine = new IDBFactory();
    const user = makeUser('ops_manager');
    const rendered = await renderSignedIn(user, {
      locale: 'en',
      fetch: online,
      indexedDB: machine,
    });
    await waitFor(() => {
      expect(tiles()).toEqual({
        draft_to_submit: '0.75',
        first_pass_approval: '0.4',
        preparation_days: '1.6875',
        rejection_response_hours: '24',
      });
    });
    expect(online.calls).toContain('/api/v1/ops/kpis');
    expect(online.calls).toContain('/api/v1/ops/alerts');
    const draft = screen.getAllByTestId('kpi-tile')[0];
    expect(draft?.textContent).toContain('75.0 %');
    expect(draft?.textContent).toContain('Target ≥ 70.0 %');
    expect(draft?.textContent).toContain('better');
    expect(screen.getAllByTestId('kpi-tile')[3]?.textContent).toContain(
      '1 rejection not answered yet',
    );
    expect(screen.getByTestId('ops-alert').textContent).toContain('40 submissions in one day');
    expect(screen.getByTestId('ops-freshness').textContent).toMatch(/^Fetched/);
    expect(screen.getByRole('link', { name: 'Ops console' })).toBeTruthy();
    expect(online.calls).toContain('/api/v1/ops/health');
    const emptyCharts = (): Record<string, string | null> =>
      Object.fromEntries(
        screen
          .getAllByTestId('ops-chart')
          .map((chart) => [
            chart.getAttribute('data-chart') ?? '',
            chart.getAttribute('data-empty'),
          ]),
      );
    // No item had time recorded: that chart says so rather than drawing empty axes.
    expect(emptyCharts()).toEqual({
      queue: 'false',
      rejections: 'false',
      throughput: 'false',
      timePerItem: 'true',
      funnel: 'false',
      course: 'false',
    });
    // The funnel: 8 started, 3 submitted; most stayed at the packages step (7 − 4).
    expect(
      screen.getByText(/^8 listings created in the range, 3 submitted \(37\.5 %\)/),
    ).toBeTruthy();
    expect(
      screen.getByText(/The step most stayed at: Packages & prices \(3 listings\)\./),
    ).toBeTruthy();
    const courseFigures: Record<string, string | null> = Object.fromEntries(
      screen
        .getAllByTestId('course-figure')
        .map((figure) => [figure.getAttribute('data-figure') ?? '', figure.textContent] as const),
    );
    expect(courseFigures).toEqual({
      students: 'Enrolled students20',
      active: 'Active (homework in the range)25 %',
      progress: 'Average progress37.3 %',
      learningTime: 'Average learning timeNot recorded',
    });
    expect(screen.getByText('No time was recorded on any item in this range.')).toBeTruthy();
    expect(
      screen
        .getAllByTestId('ops-throughput-row')
        .map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)),
    ).toEqual([
      ['Wang Fang', 'Reviewer', '6', '1.5', '4.0'],
      ['Li Lei', 'TA', '2', '0.0', 'no time recorded'],
    ]);
    expect(screen.getByText(/^3 rejections in the range, 1 without a reason code/)).toBeTruthy();
    rendered.unmount();

    // Offline: the last figures, labelled as such.
    const offline = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    vi.stubGlobal('fetch', offline);
    await renderSignedIn(user, { locale: 'en', fetch: offline, indexedDB: machine });
    await waitFor(() => {
      expect(screen.getByTestId('ops-freshness').textContent).toMatch(/^Offline: the last figures/);
    });
    expect(tiles()).toMatchObject({ draft_to_submit: '0.75' });
    // The charts' figures came from the device too.
    expect(screen.getAllByTestId('ops-throughput-row')).toHaveLength(2);
  });

  it('acknowledges an alert: the row says who took it and the badge counts only open ones', async () => {
    const second: OpsAlert = {
      ...ALERTS[0]!,
      id: 'a2',
      day: '2026-11-16',
      raisedAt: '2026-11-16T05:30:00.000Z',
    };
    let alerts: OpsAlert[] = [ALERTS[0]!, second];
    let postsOffline = false;
    const acknowledgements: string[] = [];
    const server = fakeFetch((url, init) => {
      const { pathname } = new URL(url);
      const ack = /^\/api\/v1\/ops\/alerts\/([^/]+)\/acknowledge$/.exec(pathname);
      if (ack !== null && init?.method === 'POST') {
        if (postsOffline) {
          return Promise.reject(new TypeError('Failed to fetch'));
        }
        const id = ack[1] ?? '';
        acknowledgements.push(id);
        alerts = alerts.map((alert) =>
          alert.id === id
            ? {
                ...alert,
                acknowledged: { at: '2026-11-16T06:00:00.000Z', byId: 'u-ops', byName: 'Ops Li' },
              }
            : alert,
        );
        return json(200, { alert: alerts.find((alert) => alert.id === id) });
      }
      switch (pathname) {
        case '/auth/refresh':
          return json(200, { accessToken: 'access', refreshToken: 'refresh-2' });
        case '/api/v1/ops/kpis':
          return json(200, REPORT);
        case '/api/v1/ops/health':
          return json(200, HEALTH);
        case '/api/v1/ops/board':
          return json(200, BOARD);
        case '/api/v1/ops/alerts':
          return json(200, { alerts });
        case '/api/v1/ops/reminders':
          return json(200, {
            reminders: [
              {
                id: 'm1',
                rule: 'unanswered_rejection',
                listingId: 'l1',
                listingName: 'Canada undergraduate',
                owner: { id: 'u1', name: 'Maple Education' },
                basisAt: '2026-11-10T02:00:00.000Z',
                raisedAt: '2026-11-12T02:00:00.000Z',
                readAt: null,
              },
            ],
          });
        default:
          return json(200, {});
      }
    });
    vi.stubGlobal('fetch', server);
    window.location.hash = '#/ops';
    await renderSignedIn(makeUser('ops_manager'), { locale: 'en', fetch: server });
    await waitFor(() => {
      expect(screen.getAllByTestId('ops-alert')).toHaveLength(2);
    });
    await waitFor(() => {
      expect(screen.getByTestId('alert-badge').getAttribute('data-count')).toBe('2');
    });

    // The reminders waiting on institutions, with their owner.
    expect(
      [...screen.getByTestId('ops-reminder').querySelectorAll('td')].map(
        (cell) => cell.textContent,
      ),
    ).toEqual([
      'Canada undergraduate',
      'Maple Education',
      'Rejection unanswered 48 h',
      expect.stringMatching(/^2026-11-10/) as unknown as string,
    ]);

    const [firstRow] = screen.getAllByTestId('ops-alert');
    await userEvent.click(within(firstRow!).getByTestId('ops-alert-acknowledge'));
    await waitFor(() => {
      expect(
        within(screen.getAllByTestId('ops-alert')[0]!).getByTestId('ops-alert-acknowledged')
          .textContent,
      ).toMatch(/^Acknowledged by Ops Li, /);
    });
    expect(acknowledgements).toEqual(['a1']);
    await waitFor(() => {
      expect(screen.getByTestId('alert-badge').getAttribute('data-count')).toBe('1');
    });
    expect(screen.getByTestId('alert-badge').textContent).toBe('1 open alert');

    // Offline, the second cannot be taken: it says why and stays open.
    postsOffline = true;
    await userEvent.click(
      within(screen.getAllByTestId('ops-alert')[1]!).getByTestId('ops-alert-acknowledge'),
    );
    expect((await screen.findByTestId('ops-alert-acknowledge-error')).textContent).toBe(
      'Acknowledging needs the network: try again when you are online.',
    );
    expect(screen.getAllByTestId('ops-alert')[1]?.getAttribute('data-acknowledged')).toBe('false');
    expect(screen.getByTestId('alert-badge').getAttribute('data-count')).toBe('1');
  });

  it('says what is wrong with a range the server refuses, in zh-CN', async () => {
    const server = opsServer((url) =>
      url.pathname === '/api/v1/ops/kpis'
        ? url.searchParams.get('from') === '2026-12-31'
          ? json(400, { error: { code: 'RANGE_UPSIDE_DOWN', message: 'upside down' } })
          : json(200, REPORT)
        : url.pathname === '/api/v1/ops/health'
          ? json(200, { ...HEALTH, queue: [], throughput: [] })
          : url.pathname === '/api/v1/ops/alerts'
            ? json(200, { alerts: [] })
            : undefined,
    );
    vi.stubGlobal('fetch', server);
    window.location.hash = '#/ops';
    await renderSignedIn(makeUser('ops_manager'), { locale: 'zh-CN', fetch: server });
    await screen.findAllByTestId('kpi-tile');
    expect(screen.getByText('暂无告警。')).toBeTruthy();
    expect(screen.getByText('该时间段结束时没有未完成的审核项。')).toBeTruthy();
    expect(screen.getByText('该时间段内没有人完成审核或记录工时。')).toBeTruthy();
    const from = screen.getByTestId('ops-from');
    await userEvent.clear(from);
    await userEvent.type(from, '2026-12-31');
    await userEvent.click(screen.getByTestId('ops-apply'));
    const error = await screen.findByTestId('ops-error');
    expect(error.getAttribute('data-code')).toBe('RANGE_UPSIDE_DOWN');
    expect(error.textContent).toBe('日期范围颠倒：开始日期晚于结束日期。');
  });

  it('is in the navigation of ops managers only', async () => {
    window.location.hash = '#/queue';
    await renderSignedIn(makeUser('reviewer'), { locale: 'en' });
    expect(screen.queryByRole('link', { name: 'Ops console' })).toBeNull();
  });
});

describe('trends', () => {
  it('calls a rise better for "at least" targets and worse for "at most" ones', () => {
    expect(kpiTrend(figure({ id: 'draft_to_submit', value: 0.8, previous: 0.7 }))).toBe('better');
    expect(
      kpiTrend(figure({ id: 'preparation_days', goal: 'atMost', value: 4, previous: 3 })),
    ).toBe('worse');
    expect(kpiTrend(figure({ id: 'draft_to_submit', value: 0.7, previous: 0.7 }))).toBe('same');
    expect(kpiTrend(figure({ id: 'draft_to_submit', previous: null }))).toBeNull();
  });
});
