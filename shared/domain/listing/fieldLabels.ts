import type { LocalizedText } from '../../i18n/localized';
import type { FieldPath, PathSegment } from '../validationIssue';
import type { ListingStep } from './document';

/**
 * Human labels for field paths of the listing document, for validation messages, review comments
 * anchored to fields and the diff view. Ops staff read them, so a path such as
 * `['packages', 'items', 2, 'price', 'min']` reads "第 3 个套餐 › 价格 › 最低价" /
 * "Package 3 › Price › Minimum": positions are 1-based, the step is left out when a field of it
 * is named (field labels are unique across the document), and a list's own name is left out
 * before one of its items ("第 3 个套餐", not "套餐列表 › 第 3 个套餐").
 */

/** Form step titles, in the words of the seed (§3). */
export const STEP_LABELS: Readonly<Record<ListingStep, LocalizedText>> = {
  basic: { 'zh-CN': '基础信息', en: 'Basic info' },
  highlights: { 'zh-CN': '服务亮点', en: 'Highlights' },
  packages: { 'zh-CN': '套餐与价格', en: 'Packages & prices' },
  process: { 'zh-CN': '服务流程', en: 'Service process' },
  requirements: { 'zh-CN': '所需资料', en: 'Requirements' },
  risk: { 'zh-CN': '风险与保障', en: 'Risk & guarantees' },
  credentials: { 'zh-CN': '资质文件', en: 'Credentials' },
};

/** Label of the path `[]`: the document as a whole. */
export const DOCUMENT_LABEL: LocalizedText = { 'zh-CN': '项目文档', en: 'Listing' };

const SEPARATOR = ' › ';

interface LabelNode {
  readonly label: LocalizedText;
  readonly fields?: Readonly<Record<string, LabelNode>>;
  /** For lists: the label of the item at a 1-based position, and the fields of an item. */
  readonly items?: {
    readonly label: (position: number) => LocalizedText;
    readonly fields?: Readonly<Record<string, LabelNode>>;
  };
  /** Top-level steps: left out of a label when a known field inside them follows. */
  readonly isStep?: boolean;
}

function leaf(zh: string, en: string): LabelNode {
  return { label: { 'zh-CN': zh, en } };
}

function list(
  zh: string,
  en: string,
  item: (position: number) => LocalizedText,
  fields?: Readonly<Record<string, LabelNode>>,
): LabelNode {
  return { label: { 'zh-CN': zh, en }, items: fields ? { label: item, fields } : { label: item } };
}

function step(name: ListingStep, fields: Readonly<Record<string, LabelNode>>): LabelNode {
  return { label: STEP_LABELS[name], fields, isStep: true };
}

const ITEM_ID = leaf('编号', 'ID');

const LABEL_TREE: LabelNode = {
  label: DOCUMENT_LABEL,
  fields: {
    schemaVersion: { ...leaf('文档版本', 'Schema version'), isStep: true },
    provider: {
      label: { 'zh-CN': '提供方', en: 'Provider' },
      isStep: true,
      fields: {
        kind: leaf('提供方类型', 'Provider type'),
        id: leaf('提供方编号', 'Provider ID'),
        name: leaf('提供方名称', 'Provider name'),
        creditCode: leaf('统一社会信用代码', 'Unified social credit code'),
        address: leaf('住所', 'Registered address'),
      },
    },
    basic: step('basic', {
      name: leaf('项目名称', 'Project name'),
      country: leaf('国家/地区', 'Country/region'),
      stages: list('适用阶段', 'Stages', (n) => ({
        'zh-CN': `第 ${n} 个适用阶段`,
        en: `Stage ${n}`,
      })),
      intakes: list('招生季', 'Intakes', (n) => ({
        'zh-CN': `第 ${n} 个招生季`,
        en: `Intake ${n}`,
      })),
      introduction: leaf('项目简介', 'Introduction'),
    }),
    highlights: step('highlights', {
      advantages: list('核心优势', 'Advantages', (n) => ({
        'zh-CN': `第 ${n} 条核心优势`,
        en: `Advantage ${n}`,
      })),
      mentors: list(
        '导师阵容',
        'Mentors',
        (n) => ({ 'zh-CN': `第 ${n} 位导师`, en: `Mentor ${n}` }),
        { id: ITEM_ID, mentorId: leaf('导师资料', 'Mentor profile') },
      ),
      successCases: list(
        '成功案例',
        'Success cases',
        (n) => ({ 'zh-CN': `第 ${n} 个成功案例`, en: `Success case ${n}` }),
        {
          id: ITEM_ID,
          year: leaf('年份', 'Year'),
          studentBackground: leaf('学生背景', 'Student background'),
          result: leaf('结果', 'Result'),
          highlight: leaf('亮点', 'Highlight'),
        },
      ),
    }),
    packages: step('packages', {
      items: list(
        '套餐列表',
        'Packages',
        (n) => ({ 'zh-CN': `第 ${n} 个套餐`, en: `Package ${n}` }),
        {
          id: ITEM_ID,
          name: leaf('名称', 'Name'),
          price: {
            label: { 'zh-CN': '价格', en: 'Price' },
            fields: {
              kind: leaf('价格类型', 'Price type'),
              currency: leaf('币种', 'Currency'),
              amount: leaf('金额', 'Amount'),
              min: leaf('最低价', 'Minimum'),
              max: leaf('最高价', 'Maximum'),
            },
          },
          serviceItems: list('服务项', 'Service items', (n) => ({
            'zh-CN': `第 ${n} 个服务项`,
            en: `Service item ${n}`,
          })),
          sessions: leaf('课时/阶段数', 'Sessions/stages'),
          seats: leaf('座位数', 'Seats'),
        },
      ),
      refundPolicy: {
        label: { 'zh-CN': '退费规则', en: 'Refund policy' },
        fields: {
          templateId: leaf('标准模板', 'Standard template'),
          customText: leaf('自定义补充', 'Custom terms'),
        },
      },
    }),
    process: step('process', {
      timeline: list(
        '时间轴',
        'Timeline',
        (n) => ({ 'zh-CN': `第 ${n} 个时间轴节点`, en: `Timeline node ${n}` }),
        {
          id: ITEM_ID,
          stageName: leaf('阶段名称', 'Stage name'),
          duration: {
            label: { 'zh-CN': '时长', en: 'Duration' },
            fields: { value: leaf('数值', 'Value'), unit: leaf('单位', 'Unit') },
          },
          deliverable: leaf('输出物', 'Deliverable'),
          acceptanceCriteria: leaf('验收标准', 'Acceptance criteria'),
        },
      ),
    }),
    requirements: step('requirements', {
      items: list(
        '条件列表',
        'Requirement checklist',
        (n) => ({ 'zh-CN': `第 ${n} 项条件`, en: `Requirement ${n}` }),
        {
          id: ITEM_ID,
          category: leaf('类别', 'Category'),
          text: leaf('内容', 'Description'),
          required: leaf('是否必须', 'Mandatory'),
        },
      ),
    }),
    risk: step('risk', {
      disclosure: leaf('风险提示', 'Risk disclosure'),
      afterSalesPolicy: leaf('售后策略', 'After-sales policy'),
      confirmed: leaf('风险提示确认', 'Risk disclosure confirmation'),
      confirmedAt: leaf('确认时间', 'Confirmed at'),
    }),
    credentials: step('credentials', {
      files: list(
        '资质文件列表',
        'Credential files',
        (n) => ({ 'zh-CN': `第 ${n} 个资质文件`, en: `Credential file ${n}` }),
        {
          id: ITEM_ID,
          kind: leaf('文件类型', 'File type'),
          fileName: leaf('文件名', 'File name'),
          mimeType: leaf('文件格式', 'File format'),
          sizeBytes: leaf('文件大小', 'File size'),
          sha256: leaf('文件指纹（SHA-256）', 'Checksum (SHA-256)'),
          validFrom: leaf('生效日期', 'Valid from'),
          validUntil: leaf('有效期至', 'Valid until'),
          holderName: leaf('持证人', 'Certificate holder'),
          certificateNumber: leaf('证书编号', 'Certificate number'),
        },
      ),
    }),
    provenance: { ...leaf('录入来源', 'Entry provenance'), isStep: true },
  },
};

type PieceKind = 'step' | 'list' | 'item' | 'field' | 'unknown';
interface Piece {
  readonly text: LocalizedText;
  readonly kind: PieceKind;
}

function asIndex(segment: PathSegment): number | undefined {
  if (typeof segment === 'number') {
    return Number.isSafeInteger(segment) && segment >= 0 ? segment : undefined;
  }
  return /^(0|[1-9]\d{0,8})$/.test(segment) ? Number(segment) : undefined;
}

function unknownPiece(segment: PathSegment): Piece {
  const index = asIndex(segment);
  if (index !== undefined) {
    return { text: { 'zh-CN': `第 ${index + 1} 项`, en: `Item ${index + 1}` }, kind: 'unknown' };
  }
  return { text: { 'zh-CN': String(segment), en: String(segment) }, kind: 'unknown' };
}

/**
 * The zh-CN/en label of a field path of the listing document (see the module comment for the
 * form). Any path gets a label: keys the document does not define (an `unknown_field`) are shown
 * as they are, after the label of their known parent.
 */
export function fieldLabel(path: FieldPath): LocalizedText {
  if (path.length === 0) {
    return DOCUMENT_LABEL;
  }
  const pieces: Piece[] = [];
  let fields: Readonly<Record<string, LabelNode>> | undefined = LABEL_TREE.fields;
  let items: LabelNode['items'];
  let known = true;
  for (const segment of path) {
    const index = known ? asIndex(segment) : undefined;
    if (known && items !== undefined && index !== undefined) {
      pieces.push({ text: items.label(index + 1), kind: 'item' });
      fields = items.fields;
      items = undefined;
      continue;
    }
    const node =
      known && typeof segment === 'string' && fields !== undefined && Object.hasOwn(fields, segment)
        ? fields[segment]
        : undefined;
    if (node === undefined) {
      known = false;
      pieces.push(unknownPiece(segment));
      continue;
    }
    pieces.push({
      text: node.label,
      kind: node.isStep === true ? 'step' : node.items !== undefined ? 'list' : 'field',
    });
    fields = node.fields;
    items = node.items;
  }
  const shown = pieces.filter((piece, i) => {
    const next = pieces[i + 1];
    if (piece.kind === 'step') {
      return next === undefined || next.kind === 'unknown';
    }
    if (piece.kind === 'list') {
      return next?.kind !== 'item';
    }
    return true;
  });
  return {
    'zh-CN': shown.map((piece) => piece.text['zh-CN']).join(SEPARATOR),
    en: shown.map((piece) => piece.text.en).join(SEPARATOR),
  };
}
