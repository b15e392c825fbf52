/**
 * `npx tsx scripts/generateOcrDossiers.ts [OUT_DIR] [DEMO_DIR]`: renders three scanned-looking
 * paper dossiers for the OCR pre-fill (issue 11) into `test/fixtures/ocr/dossiers/` (committed),
 * with their ground truth in `dossiers.json`, and copies the PDFs to `resources/demo/dossiers/`
 * for the assistant to enter in the demo.
 *
 * Each dossier is one PDF of three scanned pages: a business licence and a tutor certificate
 * drawn by `scripts/generateOcrFixtures.ts` (its helpers are imported, not copied), and a price
 * table page: the packages with their prices (in CNY and one foreign currency) and the service
 * stages with their durations. Pages are scan-like JPEGs (grey, noise, blur, small skew,
 * quality 60) wrapped one per page with pdf-lib. The ground truth lists, per dossier, the value
 * the pre-fill must propose at each JSON Pointer of an empty draft.
 *
 * Needs ImageMagick (`/usr/bin/convert`) and `fonts-noto-cjk`.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import { format } from 'prettier';
import {
  Canvas,
  drawCertificate,
  drawLicence,
  findFonts,
  MARK,
  PDF_DATE,
  printedCreditCode,
  seedOf,
  sha256Of,
  writeClean,
  writeScan,
  type CertificateFacts,
  type Fonts,
  type LicenceFacts,
} from './generateOcrFixtures';

export const DEFAULT_DOSSIER_DIR = fileURLToPath(
  new URL('../test/fixtures/ocr/dossiers', import.meta.url),
);
export const DEFAULT_DEMO_DOSSIER_DIR = fileURLToPath(
  new URL('../resources/demo/dossiers', import.meta.url),
);
/** Three dossiers, committed twice (fixtures and demo): keep each small. */
const MAX_DOSSIER_BYTES = 600 * 1024;

interface PackageRow {
  readonly name: string;
  /** As printed: currency word and amount with thousands separators. */
  readonly printed: string;
  readonly currency: string;
  readonly amount: string;
}
interface StageRow {
  readonly name: string;
  readonly value: number;
  readonly unit: 'day' | 'week' | 'month';
}

interface DossierFacts {
  readonly key: string;
  readonly licence: LicenceFacts;
  readonly certificate: CertificateFacts;
  readonly packages: readonly PackageRow[];
  readonly stages: readonly StageRow[];
}

const SCOPE =
  '教育咨询服务（不含涉许可审批的教育培训活动）；自费出国留学中介服务；翻译服务；信息咨询服务（不含许可类信息咨询服务）。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）';

const licence = (facts: Omit<LicenceFacts, 'businessScope' | 'pdf'>): LicenceFacts => ({
  ...facts,
  businessScope: SCOPE,
  pdf: 'none',
});

export const DOSSIERS: readonly DossierFacts[] = [
  {
    key: 'qingyun',
    licence: licence({
      key: 'qingyun',
      name: '南京青云留学服务有限公司',
      codeBody: '91320102MA1W8K3Q2',
      type: '有限责任公司（自然人投资或控股）',
      legalRepresentative: '周文博',
      registeredCapital: '人民币贰佰万元整',
      registeredCapitalAmount: '2000000',
      establishedOn: '2017-06-20',
      validFrom: '2017-06-20',
      validUntil: '2037-06-19',
      address: '江苏省南京市玄武区中山路18号德基广场二期2208室',
      authority: '南京市玄武区市场监督管理局',
      issuedOn: '2022-03-11',
      scanAngle: 1.2,
    }),
    certificate: {
      key: 'qingyun-tutor',
      title: '留学咨询师资格证书',
      subtitle: 'STUDY ABROAD CONSULTANT CERTIFICATE',
      holderName: '刘思琪',
      gender: '女',
      birthDate: '1990-02-14',
      qualification: '高级留学咨询师',
      subject: '英国 / 新加坡',
      certificateNumber: 'LXZX-2022-05731',
      numberLabel: '证书编号',
      issuer: '中国留学服务行业协会',
      issuedOn: '2022-09-01',
      validUntil: '2027-08-31',
      dateStyle: 'iso',
      scanAngle: -0.8,
      pdf: 'none',
    },
    packages: [
      { name: '英国硕士申请标准套餐', printed: '人民币 38,000', currency: 'CNY', amount: '38000' },
      { name: '英国硕士申请旗舰套餐', printed: '人民币 68,000', currency: 'CNY', amount: '68000' },
      { name: '英国硕士文书精修', printed: '英镑 4,800', currency: 'GBP', amount: '4800' },
    ],
    stages: [
      { name: '背景评估与选校', value: 2, unit: 'week' },
      { name: '文书写作', value: 6, unit: 'week' },
      { name: '网申递交与跟进', value: 3, unit: 'month' },
    ],
  },
  {
    key: 'haibo',
    licence: licence({
      key: 'haibo',
      name: '广州海博国际教育咨询有限公司',
      codeBody: '91440101MA5CK7R4X',
      type: '有限责任公司',
      legalRepresentative: '黄嘉明',
      registeredCapital: '人民币伍佰万元整',
      registeredCapitalAmount: '5000000',
      establishedOn: '2015-09-08',
      validFrom: '2015-09-08',
      validUntil: null,
      address: '广东省广州市天河区天河路385号太古汇一座1905室',
      authority: '广州市天河区市场监督管理局',
      issuedOn: '2021-12-02',
      scanAngle: -1.1,
    }),
    certificate: {
      key: 'haibo-tutor',
      title: '雅思培训讲师资格证书',
      subtitle: 'IELTS TRAINER CERTIFICATE',
      holderName: '陈嘉怡',
      gender: '女',
      birthDate: '1992-07-30',
      qualification: '雅思培训讲师',
      subject: '英语',
      certificateNumber: 'IELTS-T-2023-0412',
      numberLabel: '证书编号',
      issuer: '广东省教育培训行业协会',
      issuedOn: '2023-03-15',
      validUntil: '2026-03-14',
      dateStyle: 'zh',
      scanAngle: 0.9,
      pdf: 'none',
    },
    packages: [
      { name: '美国本科申请全程套餐', printed: '人民币 88,000', currency: 'CNY', amount: '88000' },
      { name: '美国本科文书指导', printed: '人民币 26,000', currency: 'CNY', amount: '26000' },
      { name: '美国本科冲刺名校套餐', printed: '美元 12,500', currency: 'USD', amount: '12500' },
    ],
    stages: [
      { name: '规划与标化考试', value: 6, unit: 'month' },
      { name: '选校定位', value: 3, unit: 'week' },
      { name: '签证指导', value: 10, unit: 'day' },
    ],
  },
  {
    key: 'beichen',
    licence: licence({
      key: 'beichen',
      name: '天津北辰远景教育科技有限公司',
      codeBody: '91120116MA06T9H2Y',
      type: '其他有限责任公司',
      legalRepresentative: '孙立伟',
      registeredCapital: '人民币壹佰万元整',
      registeredCapitalAmount: '1000000',
      establishedOn: '2019-11-25',
      validFrom: '2019-11-25',
      validUntil: '2039-11-24',
      address: '天津市滨海新区第一大街79号泰达MSD-C区2座1101室',
      authority: '天津市滨海新区市场监督管理局',
      issuedOn: '2023-05-18',
      scanAngle: 1.6,
    }),
    certificate: {
      key: 'beichen-tutor',
      title: '教师资格证书',
      subtitle: 'TEACHER QUALIFICATION CERTIFICATE',
      holderName: '王子涵',
      gender: '男',
      birthDate: '1988-04-09',
      qualification: '高级中学教师资格',
      subject: '德语',
      certificateNumber: '20181200141002356',
      numberLabel: '证书号码',
      issuer: '天津市教育委员会',
      issuedOn: '2018-08-20',
      validUntil: null,
      dateStyle: 'zh',
      scanAngle: -1.5,
      pdf: 'none',
    },
    packages: [
      { name: '德国硕士申请套餐', printed: '人民币 32,000', currency: 'CNY', amount: '32000' },
      { name: '德国硕士语言强化', printed: '人民币 18,800', currency: 'CNY', amount: '18800' },
      { name: '德国硕士APS审核辅导', printed: '欧元 1,900', currency: 'EUR', amount: '1900' },
    ],
    stages: [
      { name: '材料准备与APS审核', value: 2, unit: 'month' },
      { name: '大学申请', value: 8, unit: 'week' },
      { name: '签证与行前', value: 4, unit: 'week' },
    ],
  },
];

const TABLE_WIDTH = 1800;
const TABLE_HEIGHT = 1273;

/** The dossier's third page: the packages and prices, then the stages and durations. */
function drawPriceTable(dossier: DossierFacts, fonts: Fonts): Canvas {
  const canvas = new Canvas(TABLE_WIDTH, TABLE_HEIGHT, '#fdfdfb');
  const ink = '#1b1b1b';
  const label = '#3a3a3a';
  const rule = '#9a9a9a';
  const size = 36;
  const nameX = 160;
  const valueX = 1050;
  canvas.text(0, 80, dossier.licence.name, {
    font: fonts.sans,
    size: 30,
    color: label,
    gravity: 'North',
  });
  let y = 150;
  const table = (
    title: string,
    head: readonly [string, string],
    rows: readonly (readonly [string, string])[],
  ) => {
    canvas.text(0, y, title, { font: fonts.serifBold, size: 52, color: ink, gravity: 'North' });
    y += 100;
    canvas.text(nameX, y, head[0], { font: fonts.sansBold, size, color: ink });
    canvas.text(valueX, y, head[1], { font: fonts.sansBold, size, color: ink });
    y += 60;
    canvas.draw(`line ${nameX - 30},${y} ${TABLE_WIDTH - 160},${y}`, {
      stroke: rule,
      strokeWidth: 2,
    });
    y += 20;
    for (const [name, value] of rows) {
      canvas.text(nameX, y, name, { font: fonts.sans, size, color: ink });
      canvas.text(valueX, y, value, { font: fonts.sans, size, color: ink });
      y += 76;
    }
    y += 30;
  };
  table(
    '服务套餐与价格',
    ['套餐名称', '价格'],
    dossier.packages.map((row) => [row.name, row.printed] as const),
  );
  const unit = { day: '天', week: '周', month: '个月' } as const;
  table(
    '服务流程与周期',
    ['服务阶段', '周期'],
    dossier.stages.map((row) => [row.name, `${row.value} ${unit[row.unit]}`] as const),
  );
  canvas.text(0, TABLE_HEIGHT - 90, MARK, {
    font: fonts.sans,
    size: 18,
    color: '#8a8a8a',
    gravity: 'North',
  });
  return canvas;
}

/** What the pre-fill must propose for a dossier entered into an empty draft. */
function expectedValues(dossier: DossierFacts): Record<string, unknown> {
  const values: Record<string, unknown> = {
    '/provider/name': dossier.licence.name,
    '/provider/creditCode': printedCreditCode(dossier.licence),
    '/provider/address': dossier.licence.address,
    '/credentials/files/0/validFrom': dossier.licence.validFrom,
    '/credentials/files/0/validUntil': dossier.licence.validUntil,
    '/credentials/files/1/holderName': dossier.certificate.holderName,
    '/credentials/files/1/certificateNumber': dossier.certificate.certificateNumber,
  };
  dossier.packages.forEach((row, index) => {
    values[`/packages/items/${index}/name`] = row.name;
    values[`/packages/items/${index}/price`] = {
      kind: 'fixed',
      currency: row.currency,
      amount: row.amount,
    };
  });
  dossier.stages.forEach((row, index) => {
    values[`/process/timeline/${index}/stageName`] = row.name;
    values[`/process/timeline/${index}/duration`] = { value: row.value, unit: row.unit };
  });
  return values;
}

export interface DossierFixture {
  readonly file: string;
  readonly sha256: string;
  readonly pages: number;
  /** JSON Pointer → value the pre-fill must propose (into an empty draft). */
  readonly expected: Readonly<Record<string, unknown>>;
}
export interface DossierGroundTruth {
  readonly generatedBy: string;
  readonly note: string;
  readonly dossiers: readonly DossierFixture[];
}

/** A multi-page PDF of scanned page images, each page the size of its A4 landscape scan. */
async function pagesToPdf(
  images: readonly string[],
  pdfPath: string,
  title: string,
): Promise<void> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setAuthor('ReviewDesk OCR fixtures');
  pdf.setCreator('scripts/generateOcrDossiers.ts');
  pdf.setProducer('pdf-lib');
  pdf.setCreationDate(PDF_DATE);
  pdf.setModificationDate(PDF_DATE);
  for (const path of images) {
    const image = await pdf.embedJpg(await readFile(path));
    const [width, height] = [841.89, 595.28];
    const page = pdf.addPage([width, height]);
    const scale = Math.min((width - 36) / image.width, (height - 36) / image.height);
    const w = image.width * scale;
    const h = image.height * scale;
    page.drawImage(image, { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h });
  }
  await writeFile(pdfPath, await pdf.save({ useObjectStreams: true }));
}

export async function generateOcrDossiers(
  outDir = DEFAULT_DOSSIER_DIR,
  demoDir: string | null = DEFAULT_DEMO_DOSSIER_DIR,
): Promise<DossierGroundTruth> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const fonts = await findFonts();
  const scratch = await mkdtemp(join(tmpdir(), 'review-desk-dossiers-'));
  const dossiers: DossierFixture[] = [];
  try {
    for (const dossier of DOSSIERS) {
      const canvases: [Canvas, number][] = [
        [drawLicence(dossier.licence, fonts), dossier.licence.scanAngle],
        [drawCertificate(dossier.certificate, fonts), dossier.certificate.scanAngle],
        [drawPriceTable(dossier, fonts), 0.7],
      ];
      const scans: string[] = [];
      for (const [index, [canvas, angle]] of canvases.entries()) {
        const clean = join(scratch, `${dossier.key}-${index}.png`);
        const scan = join(scratch, `${dossier.key}-${index}.jpg`);
        await writeClean(canvas, clean);
        await writeScan(clean, scan, angle, seedOf(`${dossier.key}-${index}`));
        scans.push(scan);
      }
      const file = `dossier-${dossier.key}.pdf`;
      const path = join(outDir, file);
      await pagesToPdf(scans, path, `资料册 ${dossier.licence.name}（扫描件）`);
      const size = (await stat(path)).size;
      if (size > MAX_DOSSIER_BYTES) {
        throw new Error(`${file} is ${size} bytes; keep a dossier below ${MAX_DOSSIER_BYTES}`);
      }
      dossiers.push({
        file,
        sha256: await sha256Of(path),
        pages: scans.length,
        expected: expectedValues(dossier),
      });
      if (demoDir !== null) {
        await mkdir(demoDir, { recursive: true });
        await copyFile(path, join(demoDir, file));
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const truth: DossierGroundTruth = {
    generatedBy: 'scripts/generateOcrDossiers.ts',
    note: 'Paper dossiers of fictitious providers, rendered for ReviewDesk tests and the demo. Not real documents.',
    dossiers,
  };
  await writeFile(
    join(outDir, 'dossiers.json'),
    await format(JSON.stringify(truth), { parser: 'json' }),
  );
  return truth;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const truth = await generateOcrDossiers(
    process.argv[2] ?? DEFAULT_DOSSIER_DIR,
    process.argv[3] ?? DEFAULT_DEMO_DOSSIER_DIR,
  );
  console.log(`Wrote ${truth.dossiers.length} dossiers and dossiers.json`);
}
