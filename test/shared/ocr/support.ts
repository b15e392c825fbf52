import type { ExtractionPage, OcrLine, OcrWord } from '../../../shared/ocr/index';

/**
 * Synthetic OCR output for extraction tests: rows of cells at pixel positions, each cell one
 * word, sized like 30-pixel text (Chinese characters 30 px wide, Latin 17 px).
 */
export interface Cell {
  readonly x: number;
  readonly text: string;
  readonly confidence?: number;
}

export interface Row {
  readonly y: number;
  readonly cells: readonly Cell[];
}

const HEIGHT = 30;

function widthOf(text: string): number {
  return Array.from(text).reduce((sum, ch) => sum + (/[\x20-\x7e]/.test(ch) ? 17 : 30), 0);
}

export function page(rows: readonly Row[], index = 0): ExtractionPage {
  const words: OcrWord[] = [];
  const lines: OcrLine[] = [];
  rows.forEach((row, line) => {
    for (const cell of row.cells) {
      words.push({
        text: cell.text,
        confidence: cell.confidence ?? 0.95,
        box: { x: cell.x, y: row.y, width: widthOf(cell.text), height: HEIGHT },
        line,
      });
    }
    const first = row.cells[0];
    const last = row.cells.at(-1);
    lines.push({
      text: row.cells.map((cell) => cell.text).join(' '),
      confidence: 0.95,
      box: {
        x: first?.x ?? 0,
        y: row.y,
        width: (last?.x ?? 0) + widthOf(last?.text ?? '') - (first?.x ?? 0),
        height: HEIGHT,
      },
    });
  });
  return { index, words, lines, width: 1800, height: 1300 };
}

/** A two-column business licence as Tesseract reads it: both columns on one line. */
export function licenceRows(overrides: Partial<Record<string, string>> = {}): Row[] {
  const v = (key: string, fallback: string) => overrides[key] ?? fallback;
  return [
    { y: 120, cells: [{ x: 700, text: '营业执照' }] },
    { y: 180, cells: [{ x: 110, text: '统一社会信用代码' }] },
    { y: 226, cells: [{ x: 110, text: v('code', '91330106MA2B5K80X3') }] },
    {
      y: 440,
      cells: [
        { x: 110, text: '名' },
        { x: 210, text: '称' },
        { x: 310, text: v('name', '杭州明德远航教育科技有限公司') },
        { x: 960, text: '注册资本' },
        { x: 1160, text: v('capital', '人民币伍佰万元整') },
      ],
    },
    {
      y: 512,
      cells: [
        { x: 110, text: '类' },
        { x: 210, text: '型' },
        { x: 310, text: '有限责任公司(自然人投资或控股)' },
        { x: 960, text: '成立日期' },
        { x: 1160, text: v('established', '2016年04月12日') },
      ],
    },
    {
      y: 584,
      cells: [
        { x: 110, text: '法定代表人' },
        { x: 310, text: v('representative', '陈立群') },
        { x: 960, text: '营业期限' },
        { x: 1160, text: v('term', '2016年04月12日至长期') },
      ],
    },
    {
      y: 656,
      cells: [
        { x: 110, text: '经营范围' },
        { x: 310, text: '技术服务、技术开发、技术咨询;教育咨询' },
        { x: 960, text: '住' },
        { x: 1060, text: '所' },
        { x: 1160, text: v('address', '浙江省杭州市西湖区文三路478号华星') },
      ],
    },
    {
      y: 706,
      cells: [
        { x: 310, text: '服务(不含涉许可审批的教育培训活动);' },
        { x: 1160, text: v('address2', '时代广场A座1203室') },
      ],
    },
    { y: 756, cells: [{ x: 310, text: '软件开发;组织文化艺术交流活动;' }] },
    { y: 1000, cells: [{ x: 1160, text: '登记机关' }] },
  ];
}

export function certificateRows(overrides: Partial<Record<string, string>> = {}): Row[] {
  const v = (key: string, fallback: string) => overrides[key] ?? fallback;
  return [
    { y: 110, cells: [{ x: 600, text: '教师资格证书' }] },
    {
      y: 350,
      cells: [
        { x: 520, text: '姓' },
        { x: 620, text: '名' },
        { x: 720, text: v('holder', '林晓雯') },
      ],
    },
    {
      y: 420,
      cells: [
        { x: 520, text: '出生日期' },
        { x: 720, text: '1991年05月23日' },
      ],
    },
    {
      y: 490,
      cells: [
        { x: 520, text: v('numberLabel', '证书号码') },
        { x: 720, text: v('number', '20214401421000123') },
      ],
    },
    {
      y: 560,
      cells: [
        { x: 520, text: '发证机关' },
        { x: 720, text: '广州市教育局' },
      ],
    },
    {
      y: 630,
      cells: [
        { x: 520, text: '有效期至' },
        { x: 720, text: v('until', '长期有效') },
      ],
    },
  ];
}
