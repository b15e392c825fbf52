import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MonthSettlement } from '#shared/ops/settlement';
import {
  commissionTable,
  heldBackTable,
  neutralizeFormula,
  toCsv,
  toXlsx,
} from '../../../../renderer/src/kinds/settlement/exportRun';
import type { CommissionRun } from '../../../../shared/ops/settlement';
import {
  monthProblem,
  previousMonth,
} from '../../../../renderer/src/kinds/settlement/settlementData';
import { memberLevelRows, ratePercent } from '../../../../renderer/src/kinds/settlement/summary';
import { settlementT } from '../../../../renderer/src/kinds/settlement/text';
import { createI18n } from '../../../../renderer/src/i18n/i18n';
import { fakeFetch, json, makeUser, renderSignedIn } from '../../app/harness';

/**
 * Two orders of 2026-10: O1 1000.00 bought by B1 through A (level 1) and C (level 2); O2 500.00,
 * 100.00 refunded, through A (level 1). One order held back by a loop X → Y → X, one carried.
 */
const SETTLEMENT: MonthSettlement = {
  month: '2026-10',
  settleOn: '2026-11-15',
  lines: [
    { orderId: 'O1', memberId: 'A', level: 1, rate: '0.20', base: '1000.00', amount: '200.00' },
    { orderId: 'O1', memberId: 'C', level: 2, rate: '0.15', base: '1000.00', amount: '150.00' },
    { orderId: 'O2', memberId: 'A', level: 1, rate: '0.20', base: '400.00', amount: '80.00' },
  ],
  members: [
    { memberId: 'A', amount: '280.00' },
    { memberId: 'C', amount: '150.00' },
  ],
  total: '430.00',
  orders: 2,
  heldBack: [{ orderId: 'O3', code: 'REFERRAL_CYCLE', chain: ['X', 'Y', 'X'] }],
  carriedOver: ['O0'],
};

const PROPOSED: CommissionRun = {
  month: '2026-10',
  state: 'proposed',
  settlement: SETTLEMENT,
  computedAt: '2026-11-16T02:00:00.000Z',
  computedBy: 'u-ops',
  approvedAt: null,
  approvedBy: null,
  // C left the roster: the run still pays the id, shown as it is.
  memberNames: { A: '王芳' },
};
const APPROVED: CommissionRun = {
  ...PROPOSED,
  state: 'approved',
  approvedAt: '2026-11-16T03:00:00.000Z',
  approvedBy: 'u-ops',
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('settlement figures and exports', () => {
  it('groups the lines per member and level with exact sums', () => {
    expect(memberLevelRows(SETTLEMENT)).toEqual([
      {
        memberId: 'A',
        level: 1,
        orders: 2,
        base: '1400.00',
        rate: '0.20',
        commission: '280.00',
        memberTotal: '280.00',
      },
      {
        memberId: 'C',
        level: 2,
        orders: 1,
        base: '1000.00',
        rate: '0.15',
        commission: '150.00',
        memberTotal: '150.00',
      },
    ]);
    expect(ratePercent('0.15')).toBe('15 %');
    // 0.1 + 0.2 in floats is 0.30000000000000004: the sums must not go that way.
    const cents: MonthSettlement = {
      ...SETTLEMENT,
      lines: [
        { orderId: 'P', memberId: 'A', level: 1, rate: '0.20', base: '0.50', amount: '0.10' },
        { orderId: 'Q', memberId: 'A', level: 1, rate: '0.20', base: '1.00', amount: '0.20' },
      ],
      members: [{ memberId: 'A', amount: '0.30' }],
    };
    expect(memberLevelRows(cents)[0]?.commission).toBe('0.30');
  });

  it('names the previous Shanghai month and says when a month is not due', () => {
    // 2026-01-01 03:00 Shanghai is still 2025-12-31 in UTC.
    expect(previousMonth(Date.parse('2025-12-31T19:00:00.000Z'))).toBe('2025-12');
    expect(previousMonth(Date.parse('2026-03-10T00:00:00.000Z'))).toBe('2026-02');
    const march14 = Date.parse('2026-03-14T12:00:00.000Z'); // 20:00 Shanghai
    expect(monthProblem('2026-02', march14)).toEqual({
      code: 'MONTH_NOT_DUE',
      month: '2026-02',
      settleOn: '2026-03-15',
    });
    expect(monthProblem('2026-02', Date.parse('2026-03-14T16:00:00.000Z'))).toBeNull();
    expect(monthProblem('2026-13', march14)?.code).toBe('INVALID_MONTH');
  });

  it('writes RFC 4180 CSV with headers in the language and formulas neutralised', async () => {
    const t = settlementT((await createI18n('zh-CN')).t);
    const table = commissionTable(SETTLEMENT, t, PROPOSED.memberNames);
    expect(table.headers).toEqual([
      '月份',
      '会员',
      '姓名',
      '层级',
      '订单数',
      '计佣基数（元）',
      '比例',
      '佣金（元）',
    ]);
    expect(toCsv(table)).toBe(
      '\uFEFF月份,会员,姓名,层级,订单数,计佣基数（元）,比例,佣金（元）\r\n' +
        '2026-10,A,王芳,一级（直接）,2,1400.00,0.20,280.00\r\n' +
        '2026-10,C,,二级,1,1000.00,0.15,150.00\r\n',
    );
    expect(
      toCsv({
        headers: ['a', 'b'],
        rows: [
          ['=HYPERLINK("x")', 'say "hi", then go'],
          ['@SUM', '-1'],
        ],
      }),
    ).toBe('\uFEFFa,b\r\n"\'=HYPERLINK(""x"")","say ""hi"", then go"\r\n\'@SUM,\'-1\r\n');
    expect(['+1', '\tx', 'plain', ''].map(neutralizeFormula)).toEqual(["'+1", "'\tx", 'plain', '']);
  });

  it('writes an XLSX that the same library reads back, amounts as the exact strings', async () => {
    const t = settlementT((await createI18n('en')).t);
    const bytes = await toXlsx([
      { name: 'Commissions', table: commissionTable(SETTLEMENT, t, PROPOSED.memberNames) },
      { name: 'Held back', table: heldBackTable(SETTLEMENT, t) },
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes);
    const values = (name: string) =>
      (workbook.getWorksheet(name)?.getSheetValues() ?? [])
        .filter((row) => row !== undefined)
        .map((row) => (row as unknown[]).slice(1));
    expect(values('Commissions')).toEqual([
      ['Month', 'Member', 'Name', 'Level', 'Orders', 'Base (CNY)', 'Rate', 'Commission (CNY)'],
      ['2026-10', 'A', '王芳', 'Level 1 (direct)', '2', '1400.00', '0.20', '280.00'],
      ['2026-10', 'C', '', 'Level 2', '1', '1000.00', '0.15', '150.00'],
    ]);
    expect(values('Held back')).toEqual([
      ['Month', 'Order', 'Reason'],
      ['2026-10', 'O3', 'The referral chain loops: X → Y → X'],
    ]);
  });
});

/** The settlement endpoints: GET answers `stored` (404 when null); propose and approve set it. */
function settlementServer() {
  let stored: CommissionRun | null = null;
  const fetch = fakeFetch((url, init) => {
    const path = new URL(url).pathname;
    if (path === '/auth/refresh') {
      return json(200, { accessToken: 'access', refreshToken: 'refresh-2' });
    }
    if (path === '/api/v1/ops/settlements' && init?.method === 'POST') {
      stored = PROPOSED;
      return json(200, stored);
    }
    if (path === '/api/v1/ops/settlements/2026-10/approve') {
      stored = APPROVED;
      return json(200, stored);
    }
    if (path === '/api/v1/ops/settlements/2026-10') {
      return stored === null
        ? json(404, { error: { code: 'NOT_FOUND', message: 'A settlement of 2026-10' } })
        : json(200, stored);
    }
    return json(200, {});
  });
  return fetch;
}

describe('settlement screen', () => {
  it('proposes, shows the run, approves after confirming, then shows it offline with its age', async () => {
    const server = settlementServer();
    vi.stubGlobal('fetch', server);
    window.location.hash = '#/settlement?month=2026-10';
    const machine = new IDBFactory();
    const user = makeUser('ops_manager');
    const rendered = await renderSignedIn(user, {
      locale: 'en',
      fetch: server,
      indexedDB: machine,
    });
    await waitFor(() => {
      expect(screen.getByTestId('settlement-none').textContent).toBe(
        'No settlement of 2026-10 has been proposed yet.',
      );
    });
    expect(screen.getByRole('link', { name: 'Commission settlement' })).toBeTruthy();
    await userEvent.click(screen.getByTestId('settlement-propose'));
    await waitFor(() => {
      expect(screen.getByTestId('settlement-run').getAttribute('data-state')).toBe('proposed');
    });
    expect(screen.getByTestId('settlement-totals').textContent).toBe(
      'Total commission 430.00 CNY over 2 orders settled, 2 members paid.',
    );
    expect(
      screen
        .getAllByTestId('settlement-line')
        .map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent)),
    ).toEqual([
      ['王芳A', 'Level 1 (direct)', '2', '1400.00', '20 %', '280.00', '280.00'],
      ['C', 'Level 2', '1', '1000.00', '15 %', '150.00', '150.00'],
    ]);
    expect(screen.getByTestId('settlement-held-order').textContent).toContain(
      'The referral chain loops: X → Y → X',
    );
    expect(screen.getByTestId('settlement-carried').textContent).toContain('O0');

    // Approving asks first; cancelling sends nothing.
    await userEvent.click(screen.getByTestId('settlement-approve'));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('settlement-confirm-body').textContent).toBe(
      '430.00 CNY to 2 members. Once approved the settlement is final: it cannot be recomputed or changed.',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(server.calls).not.toContain('/api/v1/ops/settlements/2026-10/approve');
    await userEvent.click(screen.getByTestId('settlement-approve'));
    await userEvent.click(await screen.findByTestId('settlement-confirm-approve'));
    await waitFor(() => {
      expect(screen.getByTestId('settlement-run').getAttribute('data-state')).toBe('approved');
    });
    expect(screen.getByTestId('settlement-state-note').textContent).toMatch(/is final/);
    expect(screen.getByTestId<HTMLButtonElement>('settlement-propose').disabled).toBe(true);
    expect(screen.getByTestId<HTMLButtonElement>('settlement-approve').disabled).toBe(true);
    rendered.unmount();

    // Offline: the approved run from the device, its age said, and no action offered.
    const offline = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    vi.stubGlobal('fetch', offline);
    await renderSignedIn(user, { locale: 'en', fetch: offline, indexedDB: machine });
    await waitFor(() => {
      expect(screen.getByTestId('settlement-freshness').textContent).toMatch(
        /^Offline: the last run fetched, \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(0 minutes ago\)\.$/,
      );
    });
    expect(screen.getByTestId('settlement-run').getAttribute('data-state')).toBe('approved');
    expect(screen.getByTestId('settlement-offline').textContent).toMatch(/need the network/);
    expect(screen.getByTestId<HTMLButtonElement>('settlement-approve').disabled).toBe(true);
  });

  it("says in zh-CN when a month cannot be settled yet, with the server's message", async () => {
    const server = fakeFetch((url, init) => {
      const path = new URL(url).pathname;
      if (path === '/auth/refresh') {
        return json(200, { accessToken: 'access', refreshToken: 'refresh-2' });
      }
      if (path === '/api/v1/ops/settlements' && init?.method === 'POST') {
        return json(400, {
          error: {
            code: 'MONTH_NOT_DUE',
            message: '2099-01 can be settled from 2099-02-15 (Shanghai), not before',
            details: { month: '2099-01', settleOn: '2099-02-15' },
          },
        });
      }
      return path.startsWith('/api/v1/ops/settlements/')
        ? json(404, { error: { code: 'NOT_FOUND', message: 'none' } })
        : json(200, {});
    });
    vi.stubGlobal('fetch', server);
    window.location.hash = '#/settlement?month=2099-01';
    await renderSignedIn(makeUser('ops_manager'), { locale: 'zh-CN', fetch: server });
    await waitFor(() => {
      expect(screen.getByTestId('settlement-not-due').textContent).toBe(
        '2099-01 的佣金须于 2099-02-15（上海时间）起方可结算。',
      );
    });
    await userEvent.click(screen.getByTestId('settlement-propose'));
    const error = await screen.findByTestId('settlement-error');
    expect(error.getAttribute('data-code')).toBe('MONTH_NOT_DUE');
    expect(error.textContent).toContain(
      '服务器：2099-01 can be settled from 2099-02-15 (Shanghai), not before',
    );
  });
});
