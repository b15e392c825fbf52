/**
 * `npx tsx scripts/generateOcrFixtures.ts [OUT_DIR]`: renders the OCR test fixtures into
 * `test/fixtures/ocr/` (committed) with their ground truth in `ground-truth.json`.
 *
 * - Six business licences (营业执照) and three tutor certificates of fictitious providers, with
 *   varied names, credit codes (one with a wrong check character), capitals, dates, terms (长期
 *   and fixed) and date styles (2019年03月15日, 2028-06-30, 2027.3.31), drawn with Noto Sans/Serif
 *   CJK by ImageMagick in the layout of `scripts/generateDemoFiles.ts` (its pure drawing helpers
 *   are copied here: that script exports none of them).
 * - Each document as a clean PNG and as a scan-like JPEG (grey, slightly blurred, Gaussian noise,
 *   rotated by up to ±2°, quality 60); some also wrapped in one-page PDFs with pdf-lib
 *   (ImageMagick's policy forbids writing PDF). Two scans are turned by 90° and 180° to exercise
 *   orientation correction.
 * - `bad/`: inputs the pipeline must refuse with a clear error: an empty file, a corrupt, a
 *   truncated and an encrypted PDF, a ZIP named `.pdf`, and a real 10,000 × 10,000 PNG (100
 *   megapixels, a few kilobytes: every row is white).
 *
 * `ground-truth.json` lists every file with the fields the extraction must find (values as
 * `shared/ocr/extract.ts` returns them: ISO dates, `null` for 长期) and the document's printed
 * text in reading order (rows top to bottom, left to right within a row), for the character
 * error rate. Output is deterministic: metadata stripped, fixed PDF dates, seeded noise.
 *
 * Needs ImageMagick (`/usr/bin/convert`) and `fonts-noto-cjk`.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { format } from 'prettier';
import { computeUsccCheckCharacter } from '../shared/domain/uscc';
import { mulberry32 } from '../server/src/demo/content';

const run = promisify(execFile);

export const DEFAULT_OCR_FIXTURE_DIR = fileURLToPath(
  new URL('../test/fixtures/ocr', import.meta.url),
);

const CONVERT = existsSync('/usr/bin/convert') ? '/usr/bin/convert' : 'convert';
export const MARK = 'ReviewDesk OCR 测试样本 · 非真实证照 · TEST FIXTURE';
/** The committed fixtures stay below this in total (the brief: ≲ 3 MB). */
const MAX_TOTAL_BYTES = 3 * 1024 * 1024;

/** Which variants of a document are also wrapped in a one-page PDF. */
type PdfVariants = 'none' | 'clean' | 'scan' | 'both';

// ── Facts ───────────────────────────────────────────────────────────────────────────────────

/** What one fixture licence prints. Dates are `YYYY-MM-DD`; `validUntil: null` is 长期. */
export interface LicenceFacts {
  readonly key: string;
  readonly name: string;
  /** The 17 characters before the check character. */
  readonly codeBody: string;
  /** Print a wrong check character (a forged or mistyped licence). */
  readonly breakCheck?: boolean;
  readonly type: string;
  readonly legalRepresentative: string;
  /** 注册资本 as printed. */
  readonly registeredCapital: string;
  /** The same in yuan, as a decimal string. */
  readonly registeredCapitalAmount: string;
  readonly establishedOn: string;
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly address: string;
  readonly businessScope: string;
  readonly authority: string;
  readonly issuedOn: string;
  /** Scan-like variant: rotation in degrees (small skew plus, optionally, a quarter turn). */
  readonly scanAngle: number;
  /** Which variants are also wrapped in a PDF (not all: the fixtures must stay small). */
  readonly pdf: PdfVariants;
}

export interface CertificateFacts {
  readonly key: string;
  readonly title: string;
  readonly subtitle: string;
  readonly holderName: string;
  readonly gender: '男' | '女';
  readonly birthDate: string;
  readonly qualification: string;
  readonly subject: string;
  readonly certificateNumber: string;
  readonly numberLabel: string;
  readonly issuer: string;
  readonly issuedOn: string;
  readonly validUntil: string | null;
  /** How dates are printed on this certificate. */
  readonly dateStyle: 'zh' | 'iso' | 'dot';
  readonly scanAngle: number;
  /** Which variants are also wrapped in a PDF (not all: the fixtures must stay small). */
  readonly pdf: PdfVariants;
}

const SCOPE_EDUCATION =
  '一般项目：教育咨询服务（不含涉许可审批的教育培训活动）；自费出国留学中介服务；翻译服务；信息咨询服务（不含许可类信息咨询服务）；会议及展览服务。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）';
const SCOPE_TECH =
  '技术服务、技术开发、技术咨询；教育咨询服务（不含涉许可审批的教育培训活动）；软件开发；组织文化艺术交流活动；自费出国留学中介服务。（依法须经批准的项目，经相关部门批准后方可开展经营活动）';

export const FIXTURE_LICENCES: readonly LicenceFacts[] = [
  {
    key: 'mingde',
    name: '杭州明德远航教育科技有限公司',
    codeBody: '91330106MA2B5K80X',
    type: '有限责任公司（自然人投资或控股）',
    legalRepresentative: '陈立群',
    registeredCapital: '人民币伍佰万元整',
    registeredCapitalAmount: '5000000',
    establishedOn: '2016-04-12',
    validFrom: '2016-04-12',
    validUntil: null,
    address: '浙江省杭州市西湖区文三路478号华星时代广场A座1203室',
    businessScope: SCOPE_TECH,
    authority: '杭州市西湖区市场监督管理局',
    issuedOn: '2022-08-19',
    scanAngle: 1.6,
    pdf: 'clean',
  },
  {
    key: 'haina',
    name: '上海海纳百川留学咨询有限责任公司',
    codeBody: '91310115MA1K4D2P5',
    type: '有限责任公司（自然人独资）',
    legalRepresentative: '王海燕',
    registeredCapital: '1000万元人民币',
    registeredCapitalAmount: '10000000',
    establishedOn: '2019-03-15',
    validFrom: '2019-03-15',
    validUntil: '2039-03-14',
    address: '上海市浦东新区张杨路500号时代广场15楼1508室',
    businessScope: SCOPE_EDUCATION,
    authority: '上海市浦东新区市场监督管理局',
    issuedOn: '2023-01-09',
    scanAngle: -1.8,
    pdf: 'none',
  },
  {
    key: 'boya',
    name: '北京博雅睿思教育咨询有限公司',
    codeBody: '91110105802658B13',
    type: '其他有限责任公司',
    legalRepresentative: '赵思远',
    registeredCapital: '人民币叁佰万元整',
    registeredCapitalAmount: '3000000',
    establishedOn: '2005-07-01',
    validFrom: '2005-07-01',
    validUntil: '2025-06-30',
    address: '北京市朝阳区建国路88号SOHO现代城2号楼1606室',
    businessScope: SCOPE_EDUCATION,
    authority: '北京市朝阳区市场监督管理局',
    issuedOn: '2019-11-02',
    scanAngle: 180.9,
    pdf: 'both',
  },
  {
    key: 'nanshan',
    name: '深圳市南山星辰国际教育有限公司',
    codeBody: '91440300MA5F8UQ20',
    type: '有限责任公司',
    legalRepresentative: '欧阳晓东',
    registeredCapital: '人民币贰佰伍拾万元整',
    registeredCapitalAmount: '2500000',
    establishedOn: '2018-11-08',
    validFrom: '2018-11-08',
    validUntil: null,
    address: '广东省深圳市南山区南头街道南山大道2188号创业大厦B座3层',
    businessScope: SCOPE_TECH,
    authority: '深圳市市场监督管理局南山监管局',
    issuedOn: '2021-05-27',
    scanAngle: 2,
    pdf: 'none',
  },
  {
    key: 'jincheng',
    name: '成都锦程未来教育服务有限公司',
    codeBody: '91510107MA62Q8E1X',
    type: '有限责任公司（自然人投资或控股）',
    legalRepresentative: '李娜',
    registeredCapital: '人民币壹佰万元整',
    registeredCapitalAmount: '1000000',
    establishedOn: '2018-09-21',
    validFrom: '2018-09-21',
    validUntil: '2048-09-20',
    address: '四川省成都市武侯区人民南路四段12号',
    businessScope: SCOPE_EDUCATION,
    authority: '成都市武侯区市场监督管理局',
    issuedOn: '2020-10-13',
    scanAngle: -0.9,
    pdf: 'scan',
  },
  {
    key: 'jiangcheng',
    name: '武汉江城远景出国留学服务有限公司',
    codeBody: '91420111303417664',
    breakCheck: true,
    type: '有限责任公司（法人独资）',
    legalRepresentative: '孙建华',
    registeredCapital: '人民币捌拾万元整',
    registeredCapitalAmount: '800000',
    establishedOn: '2010-01-05',
    validFrom: '2020-01-05',
    validUntil: '2040-01-04',
    address: '湖北省武汉市洪山区民族大道126号',
    businessScope: SCOPE_EDUCATION,
    authority: '武汉市洪山区市场监督管理局',
    issuedOn: '2020-01-05',
    scanAngle: 1.2,
    pdf: 'none',
  },
];

export const FIXTURE_CERTIFICATES: readonly CertificateFacts[] = [
  {
    key: 'lin',
    title: '教师资格证书',
    subtitle: 'TEACHER QUALIFICATION CERTIFICATE',
    holderName: '林晓雯',
    gender: '女',
    birthDate: '1991-05-23',
    qualification: '高级中学教师资格',
    subject: '英语',
    certificateNumber: '20214401421000123',
    numberLabel: '证书号码',
    issuer: '广州市教育局',
    issuedOn: '2021-07-15',
    validUntil: null,
    dateStyle: 'zh',
    scanAngle: -1.4,
    pdf: 'clean',
  },
  {
    key: 'zhang',
    title: '留学咨询师资格证书',
    subtitle: 'STUDY ABROAD CONSULTANT CERTIFICATE',
    holderName: '张伟',
    gender: '男',
    birthDate: '1987-11-02',
    qualification: '高级留学咨询师',
    subject: '英国 / 澳大利亚',
    certificateNumber: 'LXZX-2023-08817',
    numberLabel: '证书编号',
    issuer: '中国留学服务行业协会',
    issuedOn: '2023-07-01',
    validUntil: '2028-06-30',
    dateStyle: 'iso',
    scanAngle: 91.3,
    pdf: 'none',
  },
  {
    key: 'ouyang',
    title: '雅思培训讲师资格证书',
    subtitle: 'IELTS TRAINER CERTIFICATE',
    holderName: '欧阳静怡',
    gender: '女',
    birthDate: '1993-02-14',
    qualification: '雅思写作与口语讲师',
    subject: '英语（雅思）',
    certificateNumber: 'ITQ202400517',
    numberLabel: '证书编号',
    issuer: '华南外语培训师评估中心',
    issuedOn: '2024-04-01',
    validUntil: '2027-03-31',
    dateStyle: 'dot',
    scanAngle: 0.7,
    pdf: 'none',
  },
];

/** The code a licence prints: the body plus its check character (or a wrong one on purpose). */
export function printedCreditCode(licence: LicenceFacts): string {
  const check = computeUsccCheckCharacter(licence.codeBody);
  if (licence.breakCheck !== true) {
    return licence.codeBody + check;
  }
  // Any other character that no confusion repair (B/8) could turn back into the right one.
  const wrong = check === '7' ? '3' : '7';
  return licence.codeBody + wrong;
}

// ── Fonts and drawing (copied from scripts/generateDemoFiles.ts) ────────────────────────────

export interface Fonts {
  readonly sans: string;
  readonly sansBold: string;
  readonly serifBold: string;
}

export async function findFonts(): Promise<Fonts> {
  const { stdout: fcList } = await run('fc-list', [], { maxBuffer: 16 * 1024 * 1024 });
  const fcLines = fcList.split('\n').filter((line) => /Noto (Sans|Serif) CJK/i.test(line));
  if (fcLines.length === 0) {
    throw new Error('Noto Sans CJK is not installed (apt-get install fonts-noto-cjk)');
  }
  const { stdout: imList } = await run(CONVERT, ['-list', 'font'], { maxBuffer: 16 * 1024 * 1024 });
  const imNames = new Set(
    imList
      .split('\n')
      .map((line) => /^\s*Font:\s*(\S+)/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  const fileOf = (pattern: RegExp): string | undefined =>
    fcLines.find((line) => pattern.test(line))?.split(':')[0];
  const choose = (names: readonly string[], filePattern: RegExp): string => {
    const name = names.find((candidate) => imNames.has(candidate));
    const chosen = name ?? fileOf(filePattern);
    if (chosen === undefined) {
      throw new Error(`none of the fonts ${names.join(', ')} is available`);
    }
    return chosen;
  };
  return {
    sans: choose(['Noto-Sans-CJK-SC', 'Noto-Sans-CJK-SC-Regular'], /NotoSansCJK-Regular/),
    sansBold: choose(['Noto-Sans-CJK-SC-Bold'], /NotoSansCJK-Bold/),
    serifBold: choose(['Noto-Serif-CJK-SC-Bold', 'Noto-Sans-CJK-SC-Bold'], /NotoSerifCJK-Bold/),
  };
}

/** Text for `-annotate`: no `%` escapes, no `@file`, no backslash escapes. */
function imText(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/%/g, '%%');
  return escaped.startsWith('@') ? `\\${escaped}` : escaped;
}

/** Width of a character in ems: Latin letters, digits and spaces are narrow in Noto Sans CJK. */
function emWidth(character: string): number {
  if (character === ' ') {
    return 0.3;
  }
  return /[\x21-\x7e]/.test(character) ? 0.56 : 1;
}

function textEms(text: string): number {
  return Array.from(text).reduce((sum, character) => sum + emWidth(character), 0);
}

/** Splits text into lines at most `maxEm` ems wide (Latin runs stay whole; closing punctuation hangs). */
function wrap(text: string, maxEm: number): string[] {
  const tokens = text.match(/[A-Za-z0-9.,%+\-–'"/@#:]+|\s|./gu) ?? [];
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const token of tokens) {
    const tokenWidth = textEms(token);
    const hangs = /^[，。；：、）」』》！？]$/.test(token);
    if (line !== '' && width + tokenWidth > maxEm && !hangs) {
      lines.push(line.trimEnd());
      line = '';
      width = 0;
      if (token.trim() === '') {
        continue;
      }
    }
    line += token;
    width += tokenWidth;
  }
  if (line.trim() !== '') {
    lines.push(line.trimEnd());
  }
  return lines;
}

/** A date as a paper prints it. */
export function printDate(iso: string, style: 'zh' | 'iso' | 'dot' = 'zh'): string {
  const [year = '', month = '', day = ''] = iso.split('-');
  switch (style) {
    case 'zh':
      return `${year}年${month}月${day}日`;
    case 'iso':
      return iso;
    case 'dot':
      return `${year}.${String(Number(month))}.${String(Number(day))}`;
  }
}

/** One piece of text drawn on a page, for the ground-truth reading order. */
interface DrawnText {
  readonly x: number;
  readonly y: number;
  readonly size: number;
  readonly text: string;
}

export class Canvas {
  private readonly args: string[];
  readonly drawn: DrawnText[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    background: string,
  ) {
    this.args = ['-size', `${width}x${height}`, `xc:${background}`];
  }

  text(
    x: number,
    y: number,
    text: string,
    options: { font: string; size: number; color?: string; gravity?: 'NorthWest' | 'North' },
  ): this {
    const gravity = options.gravity ?? 'NorthWest';
    this.args.push(
      '-gravity',
      gravity,
      '-font',
      options.font,
      '-pointsize',
      String(options.size),
      '-fill',
      options.color ?? '#1d1d1f',
      '-stroke',
      'none',
      '-annotate',
      `+${Math.round(x)}+${Math.round(y)}`,
      imText(text),
    );
    const left = gravity === 'North' ? this.width / 2 + x - (textEms(text) * options.size) / 2 : x;
    this.drawn.push({ x: left, y, size: options.size, text });
    return this;
  }

  draw(primitive: string, options: { fill?: string; stroke?: string; strokeWidth?: number }): this {
    this.args.push(
      '-gravity',
      'NorthWest',
      '-fill',
      options.fill ?? 'none',
      '-stroke',
      options.stroke ?? 'none',
      '-strokewidth',
      String(options.strokeWidth ?? 1),
      '-draw',
      primitive,
    );
    return this;
  }

  async write(path: string, extra: readonly string[]): Promise<void> {
    await run(CONVERT, [...this.args, '-strip', ...extra, path], { maxBuffer: 64 * 1024 * 1024 });
  }

  /**
   * The printed text in reading order: rows top to bottom (texts whose tops are closer than
   * half the smaller size share a row), left to right within a row.
   */
  readingOrder(): string {
    const sorted = [...this.drawn].sort((a, b) => a.y - b.y || a.x - b.x);
    const rows: DrawnText[][] = [];
    for (const item of sorted) {
      const row = rows.at(-1);
      const head = row?.[0];
      if (
        row !== undefined &&
        head !== undefined &&
        item.y - head.y < Math.min(head.size, item.size) / 2
      ) {
        row.push(item);
      } else {
        rows.push([item]);
      }
    }
    return rows
      .map((row) =>
        row
          .sort((a, b) => a.x - b.x)
          .map((item) => item.text)
          .join(' '),
      )
      .join('\n');
  }
}

export function seedOf(text: string): number {
  return Array.from(text).reduce((sum, ch) => (sum * 31 + (ch.codePointAt(0) ?? 0)) >>> 0, 7);
}

/** A QR-code-looking block of modules (not a real code), deterministic per seed. */
function fakeQr(canvas: Canvas, left: number, top: number, size: number, seed: number): void {
  const modules = 25;
  const cell = size / modules;
  const rng = mulberry32(seed);
  const rects: string[] = [];
  const finder = (row: number, col: number): boolean => {
    const inBox = (r0: number, c0: number) =>
      row >= r0 && row < r0 + 7 && col >= c0 && col < c0 + 7;
    return inBox(0, 0) || inBox(0, modules - 7) || inBox(modules - 7, 0);
  };
  for (let row = 0; row < modules; row += 1) {
    for (let col = 0; col < modules; col += 1) {
      if (finder(row, col) || rng() < 0.5) {
        continue;
      }
      const x = left + col * cell;
      const y = top + row * cell;
      rects.push(
        `rectangle ${x.toFixed(1)},${y.toFixed(1)} ${(x + cell).toFixed(1)},${(y + cell).toFixed(1)}`,
      );
    }
  }
  canvas.draw(rects.join(' '), { fill: '#111111' });
  for (const [r0, c0] of [
    [0, 0],
    [0, modules - 7],
    [modules - 7, 0],
  ] as const) {
    const x = left + c0 * cell;
    const y = top + r0 * cell;
    canvas
      .draw(`rectangle ${x},${y} ${x + 7 * cell},${y + 7 * cell}`, { fill: '#111111' })
      .draw(`rectangle ${x + cell},${y + cell} ${x + 6 * cell},${y + 6 * cell}`, {
        fill: '#ffffff',
      })
      .draw(`rectangle ${x + 2 * cell},${y + 2 * cell} ${x + 5 * cell},${y + 5 * cell}`, {
        fill: '#111111',
      });
  }
}

/** A round red seal with a star (no text: seal text is not part of what OCR should read). */
function seal(canvas: Canvas, cx: number, cy: number, radius: number): void {
  const red = '#d3362daa';
  canvas.draw(`circle ${cx},${cy} ${cx + radius},${cy}`, { stroke: red, strokeWidth: 7 });
  const points: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const r = i % 2 === 0 ? radius * 0.34 : radius * 0.14;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    points.push(
      `${(cx + r * Math.cos(angle)).toFixed(1)},${(cy - radius * 0.1 + r * Math.sin(angle)).toFixed(1)}`,
    );
  }
  canvas.draw(`polygon ${points.join(' ')}`, { fill: red });
}

// ── Licence ─────────────────────────────────────────────────────────────────────────────────

const LICENCE_WIDTH = 1800;
const LICENCE_HEIGHT = 1273;

export function drawLicence(licence: LicenceFacts, fonts: Fonts): Canvas {
  const code = printedCreditCode(licence);
  const width = LICENCE_WIDTH;
  const height = LICENCE_HEIGHT;
  const ink = '#1b1b1b';
  const label = '#3a3a3a';
  const canvas = new Canvas(width, height, '#fbf7ee');
  canvas
    .draw(`rectangle 26,26 ${width - 27},${height - 27}`, { stroke: '#b8862e', strokeWidth: 10 })
    .draw(`rectangle 46,46 ${width - 47},${height - 47}`, { stroke: '#c9a55a', strokeWidth: 3 });
  canvas.draw(`circle 900,120 944,120`, { fill: '#c8322b' });
  canvas.text(0, 170, '营 业 执 照', {
    font: fonts.serifBold,
    size: 96,
    color: ink,
    gravity: 'North',
  });
  canvas.text(0, 292, '（副 本）', { font: fonts.sans, size: 32, color: label, gravity: 'North' });

  canvas.text(110, 180, '统一社会信用代码', { font: fonts.sans, size: 30, color: label });
  canvas.text(110, 226, code, { font: fonts.sansBold, size: 42, color: ink });
  fakeQr(canvas, 1500, 150, 190, seedOf(code));

  const fieldSize = 32;
  const lineGap = 50;
  /** One labelled field; returns the y of the next one. */
  const field = (x: number, y: number, name: string, value: string, maxEm: number): number => {
    canvas.text(x, y, name, { font: fonts.sans, size: fieldSize, color: label });
    const lines = wrap(value, maxEm);
    lines.forEach((line, index) => {
      canvas.text(x + 200, y + index * lineGap, line, {
        font: fonts.sans,
        size: fieldSize,
        color: ink,
      });
    });
    return y + Math.max(72, lines.length * lineGap + 24);
  };
  const left = 110;
  const right = 960;
  let y = 440;
  y = field(left, y, '名　　称', licence.name, 19);
  y = field(left, y, '类　　型', licence.type, 19);
  y = field(left, y, '法定代表人', licence.legalRepresentative, 19);
  field(left, y, '经营范围', licence.businessScope, 19);

  const until = licence.validUntil === null ? '长期' : printDate(licence.validUntil);
  y = 440;
  y = field(right, y, '注册资本', licence.registeredCapital, 17);
  y = field(right, y, '成立日期', printDate(licence.establishedOn), 17);
  y = field(right, y, '营业期限', `${printDate(licence.validFrom)} 至 ${until}`, 17);
  field(right, y, '住　　所', licence.address, 17);

  canvas.text(right + 200, 1000, '登记机关', { font: fonts.sansBold, size: 34, color: ink });
  canvas.text(right + 200, 1060, printDate(licence.issuedOn), {
    font: fonts.sans,
    size: 32,
    color: ink,
  });
  canvas.text(right + 200, 1110, licence.authority, { font: fonts.sans, size: 24, color: label });
  seal(canvas, right + 620, 1040, 110);
  canvas.text(0, height - 100, MARK, {
    font: fonts.sans,
    size: 18,
    color: '#8a8170',
    gravity: 'North',
  });
  return canvas;
}

// ── Tutor certificate ───────────────────────────────────────────────────────────────────────

const CERTIFICATE_WIDTH = 1800;
const CERTIFICATE_HEIGHT = 1238;

export function drawCertificate(certificate: CertificateFacts, fonts: Fonts): Canvas {
  const width = CERTIFICATE_WIDTH;
  const height = CERTIFICATE_HEIGHT;
  const ink = '#1c2530';
  const label = '#3f4a57';
  const canvas = new Canvas(width, height, '#f3f8f5');
  canvas
    .draw(`rectangle 24,24 ${width - 25},${height - 25}`, { stroke: '#2f6f5e', strokeWidth: 12 })
    .draw(`rectangle 48,48 ${width - 49},${height - 49}`, { stroke: '#6fa393', strokeWidth: 3 });
  canvas.text(0, 110, certificate.title, {
    font: fonts.serifBold,
    size: 84,
    color: '#23463c',
    gravity: 'North',
  });
  canvas.text(0, 230, certificate.subtitle, {
    font: fonts.sans,
    size: 26,
    color: label,
    gravity: 'North',
  });
  canvas.draw('rectangle 150,360 430,720', { fill: '#dde7e3', stroke: '#8fa9a0', strokeWidth: 2 });
  canvas.draw('circle 290,490 355,490', { fill: '#bccbc5' });
  canvas.draw('ellipse 290,700 120,100 180,360', { fill: '#bccbc5' });

  const style = certificate.dateStyle;
  const rows: [string, string][] = [
    ['姓　　名', certificate.holderName],
    ['性　　别', certificate.gender],
    ['出生日期', printDate(certificate.birthDate, style)],
    ['资格种类', certificate.qualification],
    ['任教学科', certificate.subject],
    [certificate.numberLabel, certificate.certificateNumber],
    ['发证机关', certificate.issuer],
    ['发证日期', printDate(certificate.issuedOn, style)],
    [
      '有效期至',
      certificate.validUntil === null ? '长期有效' : printDate(certificate.validUntil, style),
    ],
  ];
  rows.forEach(([name, value], index) => {
    const y = 350 + index * 70;
    canvas.text(520, y, name, { font: fonts.sans, size: 34, color: label });
    canvas.text(720, y, value, { font: fonts.sans, size: 34, color: ink });
  });
  seal(canvas, 1480, 1000, 115);
  canvas.text(0, height - 90, MARK, {
    font: fonts.sans,
    size: 18,
    color: '#7d8f88',
    gravity: 'North',
  });
  return canvas;
}

// ── Variants ────────────────────────────────────────────────────────────────────────────────

/**
 * Clean: a 16-level grey PNG. Antialiasing matters to Tesseract's LSTM: a 24-colour palette
 * (as the demo screenshots use) made it read 佰 as 介 and 期 as 其; 16 grey levels read like
 * the full 8-bit image at a quarter of the size.
 */
export async function writeClean(canvas: Canvas, path: string): Promise<void> {
  await canvas.write(path, [
    '-colorspace',
    'Gray',
    '-depth',
    '4',
    '-define',
    'png:exclude-chunks=date,time',
  ]);
}

/**
 * Scan-like: grey, rotated on a light grey scanner bed, Gaussian noise (seeded) softened by the
 * scanner's optics (a slight blur after the noise, which also keeps the JPEG small), quality 60.
 */
export async function writeScan(
  clean: string,
  path: string,
  angle: number,
  seed: number,
): Promise<void> {
  await run(
    CONVERT,
    [
      clean,
      '-colorspace',
      'Gray',
      '-background',
      '#d8d8d8',
      '-rotate',
      String(angle),
      '-seed',
      String(seed),
      '-attenuate',
      '0.4',
      '+noise',
      'Gaussian',
      '-blur',
      '0x0.9',
      '-strip',
      '-sampling-factor',
      '4:2:0',
      '-quality',
      '60',
      path,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
}

/** A fixed date, so the PDFs are byte-for-byte reproducible. */
export const PDF_DATE = new Date('2026-01-01T00:00:00.000Z');

/** Wraps one image in an A4 landscape page (portrait for portrait images), small margins. */
async function wrapInPdf(imagePath: string, pdfPath: string, title: string): Promise<void> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setAuthor('ReviewDesk OCR fixtures');
  pdf.setCreator('scripts/generateOcrFixtures.ts');
  pdf.setProducer('pdf-lib');
  pdf.setCreationDate(PDF_DATE);
  pdf.setModificationDate(PDF_DATE);
  const bytes = await readFile(imagePath);
  const image = imagePath.endsWith('.png') ? await pdf.embedPng(bytes) : await pdf.embedJpg(bytes);
  const landscape = image.width >= image.height;
  const [pageWidth, pageHeight] = landscape ? [841.89, 595.28] : [595.28, 841.89];
  const page = pdf.addPage([pageWidth, pageHeight]);
  const scale = Math.min((pageWidth - 36) / image.width, (pageHeight - 36) / image.height);
  const w = image.width * scale;
  const h = image.height * scale;
  page.drawImage(image, { x: (pageWidth - w) / 2, y: (pageHeight - h) / 2, width: w, height: h });
  await writeFile(pdfPath, await pdf.save({ useObjectStreams: true }));
}

// ── Bad inputs ──────────────────────────────────────────────────────────────────────────────

/** A PDF from object bodies, with a correct cross-reference table. */
function buildPdf(objects: readonly string[], trailerExtra = ''): Uint8Array {
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) {
    body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  }
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const PAGE_OBJECTS = [
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
  '<< /Length 44 >>\nstream\nBT /F1 24 Tf 72 720 Td (secret licence) Tj ET\nendstream',
];

/**
 * Encrypted with the standard security handler and a user password: the O and U entries are
 * fixed bytes that no empty password matches, so a reader must ask for the password (pdf.js:
 * PasswordException NEED_PASSWORD) before it reads a single page.
 */
function encryptedPdf(): Uint8Array {
  const hex = (seed: number) =>
    Array.from({ length: 32 }, (_, i) =>
      ((seed * 37 + i * 101) % 256).toString(16).padStart(2, '0'),
    ).join('');
  const id = '5245564945574445534b464958545552';
  return buildPdf(
    [...PAGE_OBJECTS, `<< /Filter /Standard /V 1 /R 2 /O <${hex(3)}> /U <${hex(11)}> /P -3904 >>`],
    `/Encrypt 5 0 R /ID [<${id}> <${id}>] `,
  );
}

/** A ZIP archive (one stored file), as a `.docx` or a zipped scan would be. */
function zipArchive(): Uint8Array {
  const name = Buffer.from('licence.txt');
  const data = Buffer.from('This is a ZIP archive, not a PDF.\n');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const centralOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

/** A real, valid 1-bit PNG of `width` × `height` white pixels: tiny on disk, huge decoded. */
function blankPng(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rowBytes = Math.ceil(width / 8);
  const row = Buffer.alloc(rowBytes + 1, 0xff);
  row[0] = 0; // filter: none
  const raw = Buffer.alloc(row.length * height);
  for (let y = 0; y < height; y += 1) {
    row.copy(raw, y * row.length);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** What a bad-input fixture is, and the pipeline error code it must produce. */
export interface BadInputFixture {
  readonly file: string;
  readonly expectedError: string;
  readonly description: string;
}

async function writeBadInputs(dir: string, validPdf: string): Promise<BadInputFixture[]> {
  await mkdir(dir, { recursive: true });
  const pdf = await readFile(validPdf);
  const corrupt = Buffer.from(pdf);
  // Keep the header, scramble the rest deterministically.
  const rng = mulberry32(20261122);
  for (let i = 16; i < corrupt.length; i += 1) {
    corrupt[i] = Math.floor(rng() * 256);
  }
  const fixtures: [string, Uint8Array, string, string][] = [
    ['empty.pdf', new Uint8Array(), 'EMPTY_FILE', 'zero bytes'],
    ['corrupt.pdf', corrupt.subarray(0, 4096), 'CORRUPT_PDF', 'a PDF header followed by noise'],
    [
      'truncated.pdf',
      pdf.subarray(0, Math.floor(pdf.length * 0.4)),
      'CORRUPT_PDF',
      'the first 40 % of a real PDF',
    ],
    ['encrypted.pdf', encryptedPdf(), 'ENCRYPTED_PDF', 'needs a user password'],
    ['zip-archive.pdf', zipArchive(), 'UNSUPPORTED_TYPE', 'a ZIP archive named .pdf'],
    [
      'huge-100mp.png',
      blankPng(10_000, 10_000),
      'IMAGE_TOO_LARGE',
      'a valid 10,000 × 10,000 PNG (100 megapixels)',
    ],
  ];
  const out: BadInputFixture[] = [];
  for (const [file, bytes, expectedError, description] of fixtures) {
    await writeFile(join(dir, file), bytes);
    out.push({ file: `bad/${file}`, expectedError, description });
  }
  return out;
}

// ── Ground truth and main ───────────────────────────────────────────────────────────────────

export type FixtureKind = 'business_licence' | 'tutor_certificate';
export type FixtureVariant = 'clean' | 'scan';

/** One fixture file and what OCR must read from it. */
export interface OcrFixture {
  readonly file: string;
  readonly sha256: string;
  readonly kind: FixtureKind;
  readonly document: string;
  readonly variant: FixtureVariant;
  readonly format: 'png' | 'jpeg' | 'pdf';
  /** Rotation applied to the scan, degrees clockwise (0 for clean files). */
  readonly rotation: number;
  /** Expected extracted values: strings, ISO dates, `null` for 长期. */
  readonly fields: Readonly<Record<string, string | null>>;
  /** Printed text in reading order, for the character error rate. */
  readonly text: string;
}

export interface OcrGroundTruth {
  readonly generatedBy: string;
  readonly note: string;
  readonly files: readonly OcrFixture[];
  readonly badInputs: readonly BadInputFixture[];
}

export async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

interface Rendered {
  readonly key: string;
  readonly kind: FixtureKind;
  readonly canvas: Canvas;
  readonly fields: Readonly<Record<string, string | null>>;
  readonly scanAngle: number;
  readonly pdf: PdfVariants;
  readonly title: string;
}

function licenceFields(licence: LicenceFacts): Record<string, string | null> {
  return {
    name: licence.name,
    creditCode: printedCreditCode(licence),
    legalRepresentative: licence.legalRepresentative,
    registeredCapital: licence.registeredCapital,
    registeredCapitalAmount: licence.registeredCapitalAmount,
    establishedOn: licence.establishedOn,
    validFrom: licence.validFrom,
    validUntil: licence.validUntil,
    address: licence.address,
  };
}

/** Renders every fixture into `outDir` and writes `ground-truth.json`; returns it. */
export async function generateOcrFixtures(
  outDir = DEFAULT_OCR_FIXTURE_DIR,
): Promise<OcrGroundTruth> {
  // The dossiers (scripts/generateOcrDossiers.ts) live in a subfolder of their own.
  await mkdir(outDir, { recursive: true });
  for (const entry of await readdir(outDir)) {
    if (entry !== 'dossiers') {
      await rm(join(outDir, entry), { recursive: true, force: true });
    }
  }
  const fonts = await findFonts();
  const rendered: Rendered[] = [
    ...FIXTURE_LICENCES.map((licence): Rendered => ({
      key: `licence-${licence.key}`,
      kind: 'business_licence',
      canvas: drawLicence(licence, fonts),
      fields: licenceFields(licence),
      scanAngle: licence.scanAngle,
      pdf: licence.pdf,
      title: `营业执照 ${licence.name}`,
    })),
    ...FIXTURE_CERTIFICATES.map((certificate): Rendered => ({
      key: `certificate-${certificate.key}`,
      kind: 'tutor_certificate',
      canvas: drawCertificate(certificate, fonts),
      fields: {
        holderName: certificate.holderName,
        certificateNumber: certificate.certificateNumber,
        validUntil: certificate.validUntil,
      },
      scanAngle: certificate.scanAngle,
      pdf: certificate.pdf,
      title: `${certificate.title} ${certificate.holderName}`,
    })),
  ];

  const files: OcrFixture[] = [];
  const add = async (
    item: Rendered,
    file: string,
    variant: FixtureVariant,
    format: OcrFixture['format'],
  ): Promise<void> => {
    files.push({
      file,
      sha256: await sha256Of(join(outDir, file)),
      kind: item.kind,
      document: item.key,
      variant,
      format,
      rotation: variant === 'scan' ? item.scanAngle : 0,
      fields: item.fields,
      text: item.canvas.readingOrder(),
    });
  };
  for (const item of rendered) {
    const clean = `${item.key}.png`;
    const scan = `${item.key}-scan.jpg`;
    await writeClean(item.canvas, join(outDir, clean));
    await writeScan(join(outDir, clean), join(outDir, scan), item.scanAngle, seedOf(item.key));
    await add(item, clean, 'clean', 'png');
    await add(item, scan, 'scan', 'jpeg');
    if (item.pdf === 'clean' || item.pdf === 'both') {
      const cleanPdf = `${item.key}.pdf`;
      await wrapInPdf(join(outDir, clean), join(outDir, cleanPdf), item.title);
      await add(item, cleanPdf, 'clean', 'pdf');
    }
    if (item.pdf === 'scan' || item.pdf === 'both') {
      const scanPdf = `${item.key}-scan.pdf`;
      await wrapInPdf(join(outDir, scan), join(outDir, scanPdf), `${item.title}（扫描件）`);
      await add(item, scanPdf, 'scan', 'pdf');
    }
  }
  const firstPdf = files.find((file) => file.format === 'pdf');
  if (firstPdf === undefined) {
    throw new Error('no PDF fixture to derive the bad PDFs from');
  }
  const badInputs = await writeBadInputs(join(outDir, 'bad'), join(outDir, firstPdf.file));

  const truth: OcrGroundTruth = {
    generatedBy: 'scripts/generateOcrFixtures.ts',
    note: 'OCR fixtures of fictitious providers, rendered for ReviewDesk tests. Not real documents.',
    files,
    badInputs,
  };
  const json = await format(JSON.stringify(truth), { parser: 'json' });
  await writeFile(join(outDir, 'ground-truth.json'), json);

  let total = 0;
  for (const file of [
    ...files.map((f) => f.file),
    ...badInputs.map((f) => f.file),
    'ground-truth.json',
  ]) {
    total += (await stat(join(outDir, file))).size;
  }
  if (total > MAX_TOTAL_BYTES) {
    throw new Error(`OCR fixtures take ${total} bytes; keep them below ${MAX_TOTAL_BYTES}`);
  }
  return truth;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? DEFAULT_OCR_FIXTURE_DIR;
  const truth = await generateOcrFixtures(outDir);
  let total = 0;
  for (const file of truth.files) {
    total += (await stat(join(outDir, file.file))).size;
  }
  console.log(
    `Wrote ${truth.files.length} OCR fixtures (${Math.round(total / 1024)} KB), ${truth.badInputs.length} bad inputs and ground-truth.json to ${outDir}`,
  );
}
