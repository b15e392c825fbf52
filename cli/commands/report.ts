import {
  KPI_IDS,
  reportRange,
  ReportRangeError,
  type KpiFigure,
  type KpiId,
  type KpiReport,
} from '#shared/ops/kpis';
import { formatShanghaiDateTime } from '#shared/domain/time';
import type { Locale } from '#shared/i18n/localized';
import { computeKpiReport } from '../../server/src/ops/kpis';
import { CliInputError, EXIT, type CliIo } from '../io';
import { displayWidth, padToWidth } from '../table';
import { withReadDatabase, type DatabaseOptions } from './readDatabase';

/**
 * `review-desk report kpis --from YYYY-MM-DD --to YYYY-MM-DD [--json] [--data-dir DIR |
 * --database-url URL]`: the listing KPIs of the ops console (shared/ops/kpis.ts), computed by
 * the same server code over the same database. `--json` prints the console's `KpiReport`.
 */
export interface ReportKpisOptions extends DatabaseOptions {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly json: boolean;
  readonly locale: Locale;
}

const LABELS = {
  'zh-CN': {
    title: (from: string, to: string, asOf: string) =>
      `上架 KPI · ${from} 至 ${to}（截至 ${asOf}，北京时间）`,
    headers: ['指标', '数值', '目标', '达标', '样本', '上一周期'],
    names: {
      draft_to_submit: '草稿→提交转化率',
      first_pass_approval: '审核一次通过率',
      preparation_days: '平均提交准备时间',
      rejection_response_hours: '打回平均响应时间',
    },
    days: '天',
    hours: '小时',
    met: { true: '是', false: '否', null: '—' },
    unanswered: (count: number) => `（另有 ${count} 条打回未回应）`,
  },
  en: {
    title: (from: string, to: string, asOf: string) =>
      `Listing KPIs · ${from} to ${to} (as of ${asOf}, Shanghai)`,
    headers: ['KPI', 'Value', 'Target', 'Met', 'Sample', 'Previous'],
    names: {
      draft_to_submit: 'Draft → submitted',
      first_pass_approval: 'First-pass approval',
      preparation_days: 'Preparation time',
      rejection_response_hours: 'Rejection response time',
    },
    days: 'days',
    hours: 'h',
    met: { true: 'yes', false: 'no', null: '—' },
    unanswered: (count: number) => ` (${count} rejections not answered)`,
  },
} as const satisfies Record<Locale, unknown>;

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') {
    throw new CliInputError(`${flag} is required, e.g. ${flag} 2026-11-01`);
  }
  return value.trim();
}

/** Runs the command; returns the exit code. Throws CliInputError for unusable input. */
export async function runReportKpisCommand(options: ReportKpisOptions, io: CliIo): Promise<number> {
  const from = required(options.from, '--from');
  const to = required(options.to, '--to');
  let range;
  try {
    range = reportRange(from, to, io.now().getTime());
  } catch (error) {
    if (error instanceof ReportRangeError) {
      throw new CliInputError(error.message);
    }
    throw error;
  }
  const report = await withReadDatabase(options, io, (db) => computeKpiReport(db, range));
  io.stdout(
    options.json ? `${JSON.stringify(report, null, 2)}\n` : formatHuman(report, options.locale),
  );
  return EXIT.ok;
}

function formatValue(figure: KpiFigure, value: number | null, locale: Locale): string {
  if (value === null) {
    return '—';
  }
  const labels = LABELS[locale];
  switch (figure.unit) {
    case 'ratio':
      return `${(value * 100).toFixed(1)} %`;
    case 'days':
      return `${value.toFixed(2)} ${labels.days}`;
    case 'hours':
      return `${value.toFixed(1)} ${labels.hours}`;
  }
}

function formatTarget(figure: KpiFigure, locale: Locale): string {
  const sign = figure.goal === 'atLeast' ? '≥' : '≤';
  return `${sign} ${formatValue(figure, figure.target, locale)}`;
}

function formatHuman(report: KpiReport, locale: Locale): string {
  const labels = LABELS[locale];
  const byId = new Map<KpiId, KpiFigure>(report.kpis.map((kpi) => [kpi.id, kpi]));
  const rows = KPI_IDS.flatMap((id) => {
    const figure = byId.get(id);
    if (figure === undefined) {
      return [];
    }
    const value = formatValue(figure, figure.value, locale);
    return [
      [
        labels.names[id],
        figure.unanswered === undefined || figure.unanswered === 0
          ? value
          : `${value}${labels.unanswered(figure.unanswered)}`,
        formatTarget(figure, locale),
        labels.met[String(figure.met) as 'true' | 'false' | 'null'],
        String(figure.sample),
        formatValue(figure, figure.previous, locale),
      ],
    ];
  });
  const table = [[...labels.headers], ...rows];
  const widths = labels.headers.map((_header, column) =>
    Math.max(...table.map((cells) => displayWidth(cells[column] ?? ''))),
  );
  const lines = table.map((cells) =>
    cells
      .map((cell, column) => padToWidth(cell, widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const asOf = formatShanghaiDateTime(Date.parse(report.asOf));
  return `${labels.title(report.from, report.to, asOf)}\n${lines.join('\n')}\n`;
}
