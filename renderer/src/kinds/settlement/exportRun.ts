import type { MonthSettlement } from '#shared/ops/settlement';
import { memberLevelRows } from './summary';
import type { SettlementT } from './text';

/**
 * The fetched run as a table for spreadsheets — CSV and XLSX carry the same columns, headed in
 * the screen's language. Amounts stay the server's exact decimal strings: a float would be one
 * conversion away from a fen lost.
 */

export interface ExportTable {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export function commissionTable(
  settlement: MonthSettlement,
  t: SettlementT,
  names: Readonly<Record<string, string>>,
): ExportTable {
  const headers = [
    t('settlementScreen.columns.month'),
    t('settlementScreen.columns.member'),
    t('settlementScreen.columns.memberName'),
    t('settlementScreen.columns.level'),
    t('settlementScreen.columns.orders'),
    t('settlementScreen.columns.base'),
    t('settlementScreen.columns.rate'),
    t('settlementScreen.columns.commission'),
  ];
  const rows = memberLevelRows(settlement).map((row) => [
    settlement.month,
    row.memberId,
    names[row.memberId] ?? '',
    t(`settlementScreen.levelName.${String(row.level) as '1' | '2' | '3'}`),
    String(row.orders),
    row.base,
    row.rate,
    row.commission,
  ]);
  return { headers, rows };
}

export function heldBackReason(held: MonthSettlement['heldBack'][number], t: SettlementT): string {
  switch (held.code) {
    case 'REFERRAL_CYCLE':
      return t('settlementScreen.heldBack.REFERRAL_CYCLE', { chain: held.chain.join(' → ') });
    case 'UNKNOWN_BUYER':
      return t('settlementScreen.heldBack.UNKNOWN_BUYER', { buyerId: held.buyerId });
    case 'INVALID_AMOUNT':
      return t('settlementScreen.heldBack.INVALID_AMOUNT', { amount: held.amount });
  }
}

export function heldBackTable(settlement: MonthSettlement, t: SettlementT): ExportTable {
  return {
    headers: [
      t('settlementScreen.columns.month'),
      t('settlementScreen.columns.order'),
      t('settlementScreen.columns.reason'),
    ],
    rows: settlement.heldBack.map((held) => [
      settlement.month,
      held.orderId,
      heldBackReason(held, t),
    ]),
  };
}

/**
 * A cell a spreadsheet would run as a formula (OWASP "CSV injection": = + - @, and the tab and
 * carriage return that some programs skip before one) is prefixed with an apostrophe.
 */
export function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function csvField(cell: string): string {
  const safe = neutralizeFormula(cell);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * RFC 4180 CSV (CRLF, quoted where needed) with a UTF-8 byte-order mark, which Excel needs to
 * read Chinese headers as UTF-8.
 */
export function toCsv(table: ExportTable): string {
  const lines = [table.headers, ...table.rows].map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The workbook: the commissions sheet, and the held-back orders on a second sheet. */
export async function toXlsx(
  sheets: readonly { readonly name: string; readonly table: ExportTable }[],
): Promise<ArrayBuffer> {
  // Loaded on first export only: the library is large and most visits never export.
  const loaded = await import('exceljs');
  // The browser build is a UMD bundle whose classes may sit on the default export only.
  const { Workbook } = (loaded.default as typeof loaded.default | undefined) ?? loaded;
  const workbook = new Workbook();
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name);
    worksheet.addRow([...sheet.table.headers]).font = { bold: true };
    for (const row of sheet.table.rows) {
      // Text cells: the exact decimals as sent, and no cell is ever read as a formula.
      worksheet.addRow(row.map(neutralizeFormula));
    }
    worksheet.columns.forEach((column) => {
      column.width = 18;
    });
  }
  return workbook.xlsx.writeBuffer();
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Hands the bytes to the browser as a download named `fileName`. */
export function download(content: BlobPart, type: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download; revoking later keeps slow browsers safe.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 60_000);
}
