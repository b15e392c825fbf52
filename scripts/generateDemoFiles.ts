/**
 * `npx tsx scripts/generateDemoFiles.ts [OUT_DIR]`: renders the demo papers the seed attaches to
 * listings and homework into `resources/demo/` (committed), and writes `manifest.json` with the
 * ground truth of every file (what a licence prints, whether its credit code is valid, when its
 * term ends), so OCR checks can be tested against it.
 *
 * - Business licences (营业执照) of every demo institution as JPEG, about 1600 px wide; the five
 *   whose scenarios matter (valid/invalid credit code × current/expired term) also as a one-page
 *   PDF. ImageMagick's policy forbids writing PDF, so pdf-lib wraps the JPEG.
 * - Tutor certificates (导师证明) as JPEG.
 * - Three homework screenshot-like PNGs (a WeChat article, the account dashboard, a Xiaohongshu note).
 *
 * Needs ImageMagick (`/usr/bin/convert`) and the Noto Sans/Serif CJK fonts (`fonts-noto-cjk`).
 * Text is passed inline to ImageMagick: its policy blocks `label:@file`. Output is deterministic
 * (metadata stripped, fixed PDF dates), so re-running it changes nothing unless the facts change.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import {
  certificateFileName,
  DEMO_INSTITUTIONS,
  DEMO_SCREENSHOTS,
  licenceFileName,
  mulberry32,
  screenshotFileName,
  type DemoCertificateFacts,
  type DemoFile,
  type DemoFileMimeType,
  type DemoInstitution,
  type DemoLicenceFacts,
  type DemoManifest,
  type DemoScreenshotSpec,
} from '../server/src/demo/content';

const run = promisify(execFile);

export const DEFAULT_DEMO_DIR = fileURLToPath(new URL('../resources/demo', import.meta.url));

const CONVERT = existsSync('/usr/bin/convert') ? '/usr/bin/convert' : 'convert';
const MAX_FILE_BYTES = 300 * 1024;
const JPEG_QUALITY = '80';
const DEMO_MARK = 'ReviewDesk 演示样本 · 非真实证照 · DEMO ONLY';

interface Fonts {
  readonly sans: string;
  readonly sansBold: string;
  readonly serifBold: string;
}

/**
 * The CJK fonts by their ImageMagick names (`convert -list font`), falling back to the font files
 * `fc-list` reports: a `.ttc` path gives ImageMagick its first face, which still has every glyph.
 */
async function findFonts(): Promise<Fonts> {
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
    const file = fileOf(filePattern);
    const chosen = name ?? file;
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

// ── Drawing helpers ─────────────────────────────────────────────────────────────────────────

/**
 * Text for `-annotate`: ImageMagick expands `%` escapes and reads a file for a leading `@`, and
 * treats a backslash as an escape; none of that may happen to demo text.
 */
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

/**
 * Splits text into lines at most `maxEm` ems wide. Chinese breaks anywhere; runs of Latin letters
 * and digits stay whole, and closing punctuation never starts a line (it hangs at the end).
 */
function wrap(text: string, maxEm: number): string[] {
  const tokens = text.match(/[A-Za-z0-9.,%+\-–'"/@#:]+|\s|./gu) ?? [];
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const token of tokens) {
    const tokenWidth = Array.from(token).reduce((sum, ch) => sum + emWidth(ch), 0);
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

/** Chinese date as printed on papers: 2015年03月18日. */
function zhDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${year ?? ''}年${month ?? ''}月${day ?? ''}日`;
}

class Canvas {
  private readonly args: string[];

  constructor(width: number, height: number, background: string) {
    this.args = ['-size', `${width}x${height}`, `xc:${background}`];
  }

  text(
    x: number,
    y: number,
    text: string,
    options: { font: string; size: number; color?: string; gravity?: string },
  ): this {
    this.args.push(
      '-gravity',
      options.gravity ?? 'NorthWest',
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

/** A round red seal with a star and the issuer's name in two lines. */
function seal(
  canvas: Canvas,
  center: { x: number; y: number },
  radius: number,
  issuer: string,
  fonts: Fonts,
): void {
  const { x: cx, y: cy } = center;
  const red = '#d3362dcc';
  canvas.draw(`circle ${cx},${cy} ${cx + radius},${cy}`, { stroke: red, strokeWidth: 7 });
  const points: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const r = i % 2 === 0 ? radius * 0.32 : radius * 0.13;
    const angle = -Math.PI / 2 + (i * Math.PI) / 5;
    const px = cx + r * Math.cos(angle);
    const py = cy - radius * 0.18 + r * Math.sin(angle);
    points.push(`${px.toFixed(1)},${py.toFixed(1)}`);
  }
  canvas.draw(`polygon ${points.join(' ')}`, { fill: red });
  const characters = Array.from(issuer);
  const half = Math.ceil(characters.length / 2);
  const size = 19;
  [characters.slice(0, half), characters.slice(half)].forEach((line, index) => {
    const width = line.length * size;
    canvas.text(cx - width / 2, cy + radius * 0.28 + index * (size + 6), line.join(''), {
      font: fonts.sansBold,
      size,
      color: red,
    });
  });
}

// ── Business licence ────────────────────────────────────────────────────────────────────────

async function renderLicence(
  provider: DemoInstitution,
  licence: DemoLicenceFacts,
  path: string,
  fonts: Fonts,
): Promise<void> {
  const code = provider.creditCode ?? '';
  const width = 1600;
  const height = 1131;
  const ink = '#1b1b1b';
  const label = '#3a3a3a';
  const canvas = new Canvas(width, height, '#f6f0e1');
  canvas
    .draw(`rectangle 26,26 ${width - 27},${height - 27}`, { stroke: '#b8862e', strokeWidth: 10 })
    .draw(`rectangle 46,46 ${width - 47},${height - 47}`, { stroke: '#c9a55a', strokeWidth: 3 })
    .draw(`rectangle 56,56 ${width - 57},${height - 57}`, { stroke: '#c9a55a', strokeWidth: 1 });

  // Emblem placeholder: a red disc with a star, as printed above the title.
  canvas.draw(`circle 800,112 842,112`, { fill: '#c8322b' });
  canvas.draw(
    'polygon 800,84 807,104 828,104 811,116 818,136 800,124 782,136 789,116 772,104 793,104',
    { fill: '#f2c14e' },
  );
  canvas.text(0, 160, '营 业 执 照', {
    font: fonts.serifBold,
    size: 88,
    color: ink,
    gravity: 'North',
  });
  canvas.text(0, 272, '（副　本）', { font: fonts.sans, size: 30, color: label, gravity: 'North' });

  canvas.text(110, 170, '统一社会信用代码', { font: fonts.sans, size: 26, color: label });
  canvas.text(110, 212, code, { font: fonts.sansBold, size: 38, color: ink });
  canvas.text(110, 268, '证照编号：' + code.slice(2, 8) + '0000' + code.slice(8, 14), {
    font: fonts.sans,
    size: 20,
    color: label,
  });

  fakeQr(
    canvas,
    1330,
    140,
    170,
    code.split('').reduce((sum, ch) => sum * 31 + ch.charCodeAt(0), 7),
  );
  canvas.text(1290, 320, '扫描二维码登录“国家企业信用', {
    font: fonts.sans,
    size: 16,
    color: label,
  });
  canvas.text(1290, 342, '信息公示系统”了解更多登记、', {
    font: fonts.sans,
    size: 16,
    color: label,
  });
  canvas.text(1290, 364, '备案、许可、监管信息。', { font: fonts.sans, size: 16, color: label });

  /** One labelled field; returns the y of the next one. */
  const field = (x: number, y: number, name: string, value: string, maxEm: number): number => {
    canvas.text(x, y, name, { font: fonts.sans, size: 27, color: label });
    const lines = wrap(value, maxEm);
    lines.forEach((line, index) => {
      canvas.text(x + 170, y + index * 42, line, { font: fonts.sans, size: 27, color: ink });
    });
    return y + Math.max(60, lines.length * 42 + 20);
  };
  const left = 110;
  const right = 860;
  let y = 420;
  y = field(left, y, '名　　称', provider.name, 20);
  y = field(left, y, '类　　型', licence.type, 20);
  y = field(left, y, '法定代表人', licence.legalRepresentative, 20);
  field(left, y, '经营范围', licence.businessScope, 20);

  const term =
    licence.validUntil === null
      ? `${zhDate(licence.establishedOn)} 至 长期`
      : `${zhDate(licence.establishedOn)} 至 ${zhDate(licence.validUntil)}`;
  y = 420;
  y = field(right, y, '注册资本', `人民币${licence.registeredCapital}`, 19);
  y = field(right, y, '成立日期', zhDate(licence.establishedOn), 19);
  y = field(right, y, '营业期限', term, 19);
  field(right, y, '住　　所', licence.address, 18);

  canvas.text(right + 170, 860, '登记机关', { font: fonts.sansBold, size: 30, color: ink });
  canvas.text(right + 170, 920, zhDate(licence.issuedOn), {
    font: fonts.sans,
    size: 28,
    color: ink,
  });
  seal(canvas, { x: right + 530, y: 880 }, 105, licence.authority, fonts);

  canvas.text(0, 1010, '国家企业信用信息公示系统网址：http://www.gsxt.gov.cn', {
    font: fonts.sans,
    size: 19,
    color: label,
    gravity: 'North',
  });
  canvas.text(0, 1040, '国家市场监督管理总局监制', {
    font: fonts.sans,
    size: 19,
    color: label,
    gravity: 'North',
  });
  canvas.text(0, 1072, DEMO_MARK, {
    font: fonts.sans,
    size: 15,
    color: '#9a8f7a',
    gravity: 'North',
  });
  await canvas.write(path, ['-sampling-factor', '4:2:0', '-quality', JPEG_QUALITY]);
}

// ── Tutor certificate ───────────────────────────────────────────────────────────────────────

async function renderCertificate(
  certificate: DemoCertificateFacts,
  path: string,
  fonts: Fonts,
): Promise<void> {
  const width = 1600;
  const height = 1100;
  const ink = '#1c2530';
  const label = '#3f4a57';
  const canvas = new Canvas(width, height, '#eef4f1');
  canvas
    .draw(`rectangle 24,24 ${width - 25},${height - 25}`, { stroke: '#2f6f5e', strokeWidth: 12 })
    .draw(`rectangle 48,48 ${width - 49},${height - 49}`, { stroke: '#6fa393', strokeWidth: 3 });
  canvas.text(0, 110, certificate.title, {
    font: fonts.serifBold,
    size: 80,
    color: '#23463c',
    gravity: 'North',
  });
  canvas.text(0, 222, 'CERTIFICATE OF QUALIFICATION', {
    font: fonts.sans,
    size: 24,
    color: label,
    gravity: 'North',
  });

  // Photo box.
  canvas.draw('rectangle 140,320 400,660', { fill: '#d9e3df', stroke: '#8fa9a0', strokeWidth: 2 });
  canvas.draw('circle 270,440 330,440', { fill: '#b7c7c1' });
  canvas.draw('ellipse 270,640 110,90 180,360', { fill: '#b7c7c1' });
  canvas.text(245, 670, '照片', { font: fonts.sans, size: 22, color: label });

  const rows: [string, string][] = [
    ['姓　　名', certificate.holderName],
    ['性　　别', certificate.gender],
    ['出生日期', zhDate(certificate.birthDate)],
    ['资格种类', certificate.qualification],
    ['任教学科', certificate.subject],
    ['证书号码', certificate.certificateNo],
    ['发证机关', certificate.issuer],
    ['发证日期', zhDate(certificate.issuedOn)],
    ['有效期至', certificate.validUntil === null ? '长期有效' : zhDate(certificate.validUntil)],
  ];
  rows.forEach(([name, value], index) => {
    const y = 320 + index * 62;
    canvas.text(480, y, name, { font: fonts.sans, size: 30, color: label });
    canvas.text(660, y, value, { font: fonts.sans, size: 30, color: ink });
  });
  seal(canvas, { x: 1300, y: 900 }, 105, certificate.issuer, fonts);
  canvas.text(0, 1030, DEMO_MARK, {
    font: fonts.sans,
    size: 16,
    color: '#7d8f88',
    gravity: 'North',
  });
  await canvas.write(path, ['-sampling-factor', '4:2:0', '-quality', JPEG_QUALITY]);
}

// ── Homework screenshots ────────────────────────────────────────────────────────────────────

const ACCENTS: Readonly<Record<string, string>> = {
  微信公众号: '#07c160',
  公众号后台: '#07c160',
  小红书: '#ff2442',
};

async function renderScreenshot(spec: DemoScreenshotSpec, path: string, fonts: Fonts) {
  const width = 1080;
  const height = 1920;
  const accent = ACCENTS[spec.platform] ?? '#3366cc';
  const canvas = new Canvas(width, height, '#ffffff');
  // Status bar and navigation bar, as a phone shows them.
  canvas.draw(`rectangle 0,0 ${width},150`, { fill: '#f7f7f7' });
  canvas.text(48, 18, '21:36', { font: fonts.sansBold, size: 30 });
  canvas.text(48, 18, '5G  86%', { font: fonts.sans, size: 28, gravity: 'NorthEast' });
  canvas.text(48, 82, '×', { font: fonts.sans, size: 40 });
  canvas.text(0, 84, spec.platform, { font: fonts.sansBold, size: 34, gravity: 'North' });
  canvas.text(48, 84, '···', { font: fonts.sansBold, size: 34, gravity: 'NorthEast' });
  canvas.draw(`rectangle 0,150 ${width},156`, { fill: accent });

  let y = 210;
  for (const line of wrap(spec.title, 18)) {
    canvas.text(60, y, line, { font: fonts.sansBold, size: 52 });
    y += 76;
  }
  y += 14;
  canvas.text(60, y, spec.author, { font: fonts.sans, size: 32, color: '#576b95' });
  y += 52;
  canvas.text(60, y, spec.meta, { font: fonts.sans, size: 28, color: '#999999' });
  y += 90;
  for (const paragraph of spec.paragraphs) {
    for (const line of wrap(paragraph, 26)) {
      canvas.text(60, y, line, { font: fonts.sans, size: 36, color: '#333333' });
      y += 60;
    }
    y += 34;
  }
  if (y < height - 640) {
    // A figure, as articles and notes have: a small rising chart with a caption.
    const top = y + 10;
    canvas.draw(`rectangle 60,${top} 1020,${top + 380}`, { fill: '#f3f7f5', stroke: '#dfe8e3' });
    const points = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => {
      const px = 120 + i * 120;
      const py = top + 320 - Math.round((i * i * 4 + i * 8) * 1.1);
      return `${px},${py}`;
    });
    const segments = points.slice(1).map((point, i) => `line ${points[i] ?? point} ${point}`);
    canvas.draw(segments.join(' '), { stroke: accent, strokeWidth: 6 });
    canvas.draw(`line 100,${top + 330} 1000,${top + 330}`, { stroke: '#b9c6bf', strokeWidth: 2 });
    canvas.text(0, top + 400, '图：30 天内每日阅读量变化', {
      font: fonts.sans,
      size: 26,
      color: '#999999',
      gravity: 'North',
    });
  }
  canvas.draw(`rectangle 0,${height - 170} ${width},${height}`, { fill: '#fafafa' });
  canvas.draw(`line 0,${height - 170} ${width},${height - 170}`, {
    stroke: '#e5e5e5',
    strokeWidth: 2,
  });
  canvas.text(60, height - 120, spec.stats, { font: fonts.sans, size: 32, color: '#666666' });
  canvas.text(0, height - 48, 'ReviewDesk 演示作业截图 · DEMO ONLY', {
    font: fonts.sans,
    size: 20,
    color: '#b0b0b0',
    gravity: 'North',
  });
  // 32 colours without dithering are plenty for flat UI and antialiased text, and keep it small.
  await canvas.write(`PNG8:${path}`, [
    '-dither',
    'None',
    '-colors',
    '32',
    '-define',
    'png:exclude-chunks=date,time',
  ]);
}

// ── PDF wrapping and the manifest ───────────────────────────────────────────────────────────

/** A fixed date, so the PDFs are byte-for-byte reproducible. */
const PDF_DATE = new Date('2026-01-01T00:00:00.000Z');

async function wrapJpegInPdf(jpegPath: string, pdfPath: string, title: string): Promise<void> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setAuthor('ReviewDesk demo');
  pdf.setCreator('scripts/generateDemoFiles.ts');
  pdf.setProducer('pdf-lib');
  pdf.setCreationDate(PDF_DATE);
  pdf.setModificationDate(PDF_DATE);
  const image = await pdf.embedJpg(await readFile(jpegPath));
  // A4 landscape in points; the scan fills it with a small margin.
  const page = pdf.addPage([841.89, 595.28]);
  const scale = Math.min((841.89 - 36) / image.width, (595.28 - 36) / image.height);
  const w = image.width * scale;
  const h = image.height * scale;
  page.drawImage(image, { x: (841.89 - w) / 2, y: (595.28 - h) / 2, width: w, height: h });
  await writeFile(pdfPath, await pdf.save({ useObjectStreams: true }));
}

async function describe(
  dir: string,
  file: string,
  mimeType: DemoFileMimeType,
): Promise<{ file: string; mimeType: DemoFileMimeType; sizeBytes: number; sha256: string }> {
  const bytes = await readFile(join(dir, file));
  if (bytes.length > MAX_FILE_BYTES) {
    throw new Error(
      `${file} is ${bytes.length} bytes; demo files must stay below ${MAX_FILE_BYTES}`,
    );
  }
  return {
    file,
    mimeType,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Renders every demo file into `outDir` and writes its manifest; returns the manifest. */
export async function generateDemoFiles(outDir = DEFAULT_DEMO_DIR): Promise<DemoManifest> {
  await mkdir(outDir, { recursive: true });
  const fonts = await findFonts();
  const files: DemoFile[] = [];

  for (const provider of DEMO_INSTITUTIONS) {
    const licence = provider.licence;
    if (licence !== null && provider.creditCode !== null) {
      const jpg = licenceFileName(provider.key, 'jpg');
      await renderLicence(provider, licence, join(outDir, jpg), fonts);
      const formats: [string, DemoFileMimeType][] = [[jpg, 'image/jpeg']];
      if (licence.pdf) {
        const pdf = licenceFileName(provider.key, 'pdf');
        await wrapJpegInPdf(join(outDir, jpg), join(outDir, pdf), `营业执照 ${provider.name}`);
        formats.push([pdf, 'application/pdf']);
      }
      for (const [file, mimeType] of formats) {
        files.push({
          ...(await describe(outDir, file, mimeType)),
          kind: 'business_licence',
          institutionKey: provider.key,
          scenario: licence.scenario,
          name: provider.name,
          creditCode: provider.creditCode,
          creditCodeValid: provider.creditCodeValid,
          type: licence.type,
          legalRepresentative: licence.legalRepresentative,
          registeredCapital: licence.registeredCapital,
          establishedOn: licence.establishedOn,
          validFrom: licence.establishedOn,
          validUntil: licence.validUntil,
          address: licence.address,
          businessScope: licence.businessScope,
          registrationAuthority: licence.authority,
          issuedOn: licence.issuedOn,
        });
      }
    }
    const certificate = provider.certificate;
    if (certificate !== null) {
      const file = certificateFileName(provider.key);
      await renderCertificate(certificate, join(outDir, file), fonts);
      files.push({
        ...(await describe(outDir, file, 'image/jpeg')),
        kind: 'mentor_certificate',
        institutionKey: provider.key,
        title: certificate.title,
        holderName: certificate.holderName,
        certificateNo: certificate.certificateNo,
        qualification: certificate.qualification,
        issuer: certificate.issuer,
        issuedOn: certificate.issuedOn,
        validUntil: certificate.validUntil,
      });
    }
  }

  for (const spec of DEMO_SCREENSHOTS) {
    const file = screenshotFileName(spec.key);
    await renderScreenshot(spec, join(outDir, file), fonts);
    files.push({
      ...(await describe(outDir, file, 'image/png')),
      kind: 'homework_screenshot',
      key: spec.key,
      title: spec.title,
      platform: spec.platform,
    });
  }

  const manifest: DemoManifest = {
    generatedBy: 'scripts/generateDemoFiles.ts',
    note: 'Demo papers of fictitious providers, rendered for ReviewDesk. Not real documents.',
    files,
  };
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? DEFAULT_DEMO_DIR;
  const manifest = await generateDemoFiles(outDir);
  const total = manifest.files.reduce((sum, file) => sum + file.sizeBytes, 0);
  console.log(
    `Wrote ${manifest.files.length} demo files (${Math.round(total / 1024)} KB) and manifest.json to ${outDir}`,
  );
}
