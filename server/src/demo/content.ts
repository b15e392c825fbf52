import type { CommissionInput } from '#shared/domain/commission';
import { commissionSettlementDate, splitCommission } from '#shared/domain/commission';
import type {
  CredentialFile,
  CredentialKind,
  Intake,
  ListingDocument,
  ListingPackage,
  Price,
  RefundTemplateId,
  RequirementCategory,
  Stage,
  SuccessCase,
  TimelineNode,
} from '#shared/domain/listing/document';
import type { CountryCode } from '#shared/domain/listing/countries';
import type { ListingState } from '#shared/domain/listing/lifecycle';
import type { CurrencyCode } from '#shared/domain/money/currencies';
import { refundDueBy, refundEligibility } from '#shared/domain/refund';
import type { ReviewReasonCode } from '#shared/domain/review/reasons';
import type { Role } from '#shared/domain/roles';
import { DAY_MS, HOUR_MS, MINUTE_MS, shanghaiDate } from '#shared/domain/time';
import { computeUsccCheckCharacter, USCC_CHARSET } from '#shared/domain/uscc';

/*
 * Demo content of the review server (`review-desk seed`, and the first start of an empty server):
 * realistic Chinese institutions, tutors, study-abroad listings with their revision histories,
 * homework of the AI-writing course, refund requests and affiliate commissions.
 *
 * Everything here is pure: no database, no files, no clock. Randomness comes from a seeded PRNG
 * passed in, ids from an id factory passed in, and "now" is a parameter, so the same seed gives
 * the same content (apart from the ids the caller makes). `seed.ts` turns the plans into rows;
 * `scripts/generateDemoFiles.ts` renders the licence, certificate and screenshot files described
 * by the facts below into `resources/demo/`.
 */

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Seeded randomness

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; plenty for demo data. */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A whole number from `min` to `max`, both included. */
export function randomInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** A number from `min` (included) to `max` (excluded). */
export function randomBetween(rng: Rng, min: number, max: number): number {
  return min + rng() * (max - min);
}

/** True with probability `p`. */
export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

/** One element of a non-empty list. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) {
    throw new RangeError('pick() needs a non-empty list');
  }
  return item;
}

/** A shuffled copy (Fisher–Yates). */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    const a = copy[i] as T;
    copy[i] = copy[j] as T;
    copy[j] = a;
  }
  return copy;
}

/** One key of `weights`, drawn with the given relative weights. */
export function weighted<K extends string>(rng: Rng, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = rng() * total;
  for (const [key, weight] of entries) {
    roll -= weight;
    if (roll < 0) {
      return key;
    }
  }
  const last = entries[entries.length - 1];
  if (last === undefined) {
    throw new RangeError('weighted() needs at least one weight');
  }
  return last[0];
}

export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new Error(`demo content: missing ${what}`);
  }
  return value;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Unified social credit codes

/** A valid code: the 17 given characters plus their GB 32100-2015 check character. */
export function validUscc(first17: string): string {
  return first17 + computeUsccCheckCharacter(first17);
}

/**
 * A code whose check character is deliberately wrong (what a forged or mistyped licence shows):
 * the right one moved seven places along the charset, so the code stays well-formed otherwise.
 */
export function brokenUscc(first17: string): string {
  const right = USCC_CHARSET.indexOf(computeUsccCheckCharacter(first17));
  return first17 + USCC_CHARSET.charAt((right + 7) % USCC_CHARSET.length);
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Institutions, tutors and their papers

/** Which ground truth a demo licence demonstrates. */
export type LicenceScenario =
  | 'valid_code_long_term'
  | 'valid_code_current_term'
  | 'valid_code_expired_term'
  | 'invalid_code_current_term'
  | 'invalid_code_expired_term';

/** What a business licence (营业执照) prints, as the demo renders it. */
export interface DemoLicenceFacts {
  /** 类型 */
  readonly type: string;
  /** 法定代表人 */
  readonly legalRepresentative: string;
  /** 注册资本 */
  readonly registeredCapital: string;
  /** 成立日期, `YYYY-MM-DD`; also the first day of the term of operation. */
  readonly establishedOn: string;
  /** Last day of 营业期限, or null for 长期. */
  readonly validUntil: string | null;
  /** 住所 */
  readonly address: string;
  /** 经营范围 */
  readonly businessScope: string;
  /** 登记机关 */
  readonly authority: string;
  /** Date printed beside the registration authority's seal. */
  readonly issuedOn: string;
  readonly scenario: LicenceScenario;
  /** Whether a one-page PDF of the licence is generated too. */
  readonly pdf: boolean;
}

/** What a tutor's qualification certificate (导师证明) prints. */
export interface DemoCertificateFacts {
  readonly title: string;
  readonly holderName: string;
  readonly gender: '男' | '女';
  readonly birthDate: string;
  readonly certificateNo: string;
  readonly qualification: string;
  readonly subject: string;
  readonly issuer: string;
  readonly issuedOn: string;
  /** null: no expiry (长期有效). */
  readonly validUntil: string | null;
}

export interface DemoInstitution {
  /** Stable slug: file names and cross references use it. */
  readonly key: string;
  readonly name: string;
  readonly kind: 'institution' | 'tutor';
  readonly city: string;
  /** As registered (and printed on the licence); null for individual tutors. */
  readonly creditCode: string | null;
  readonly creditCodeValid: boolean;
  readonly licence: DemoLicenceFacts | null;
  readonly certificate: DemoCertificateFacts | null;
  /**
   * The expiry the submitter types for the licence in listings. It differs from the licence
   * where the licence expired (they claim 长期): the story a reviewer with OCR should catch.
   */
  readonly declaredValidUntil: string | null;
  readonly submitter: { readonly username: string; readonly displayName: string };
  /** Keys of {@link PRODUCTS} this provider sells. */
  readonly products: readonly string[];
}

const SCOPE_CONSULTING =
  '一般项目：教育咨询服务（不含涉许可审批的教育培训活动）；自费出国留学中介服务；翻译服务；信息咨询服务（不含许可类信息咨询服务）；会议及展览服务；组织文化艺术交流活动；企业管理咨询。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）';
const SCOPE_LANGUAGE =
  '一般项目：教育咨询服务（不含涉许可审批的教育培训活动）；语言能力培训（不含涉许可审批的教育培训活动）；外语翻译服务；软件开发；信息技术咨询服务；图书、电子出版物零售。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）';
const SCOPE_TECH =
  '一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广；教育咨询服务（不含涉许可审批的教育培训活动）；自费出国留学中介服务；软件开发；广告设计、代理；组织文化艺术交流活动。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）';

const PRIVATE = '有限责任公司（自然人投资或控股）';

interface InstitutionSpec {
  readonly key: string;
  readonly name: string;
  readonly city: string;
  readonly first17: string;
  readonly codeValid: boolean;
  readonly licence: Omit<DemoLicenceFacts, 'scenario'>;
  readonly submitter: string;
  readonly displayName: string;
  readonly products: readonly string[];
}

function scenarioOf(codeValid: boolean, validUntil: string | null, expired: boolean) {
  if (codeValid) {
    if (validUntil === null) {
      return 'valid_code_long_term';
    }
    return expired ? 'valid_code_expired_term' : 'valid_code_current_term';
  }
  return expired ? 'invalid_code_expired_term' : 'invalid_code_current_term';
}

/** Licences whose term ended before this day are the "expired" ones of the demo. */
const EXPIRED_BEFORE = '2026-01-01';

function institution(spec: InstitutionSpec): DemoInstitution {
  const expired = spec.licence.validUntil !== null && spec.licence.validUntil < EXPIRED_BEFORE;
  return {
    key: spec.key,
    name: spec.name,
    kind: 'institution',
    city: spec.city,
    creditCode: spec.codeValid ? validUscc(spec.first17) : brokenUscc(spec.first17),
    creditCodeValid: spec.codeValid,
    licence: {
      ...spec.licence,
      scenario: scenarioOf(spec.codeValid, spec.licence.validUntil, expired),
    },
    certificate: null,
    declaredValidUntil: expired ? null : spec.licence.validUntil,
    submitter: { username: spec.submitter, displayName: spec.displayName },
    products: spec.products,
  };
}

/**
 * The twelve companies and three individual tutors of the demo. The first is the one of
 * `submitter1`. Licence scenarios: 启明星途 valid code, 长期; 远帆 valid, fixed term still running;
 * 博雅 valid but expired; 青禾 invalid check character; 锦程 invalid and expired. The other
 * companies are in good standing. 王思琪 is a new tutor whose papers are not in yet.
 */
export const DEMO_INSTITUTIONS: readonly DemoInstitution[] = [
  institution({
    key: 'qmxt',
    name: '北京启明星途教育咨询有限公司',
    city: '北京',
    first17: '91110108MA01N8QK3',
    codeValid: true,
    licence: {
      type: PRIVATE,
      legalRepresentative: '周建国',
      registeredCapital: '伍佰万元整',
      establishedOn: '2015-03-18',
      validUntil: null,
      address: '北京市海淀区中关村大街27号中关村大厦8层801室',
      businessScope: SCOPE_CONSULTING,
      authority: '北京市海淀区市场监督管理局',
      issuedOn: '2023-05-06',
      pdf: true,
    },
    submitter: 'submitter1',
    displayName: '机构管理员 刘洋',
    products: ['uk_master_flagship', 'us_master_stem', 'hk_master', 'uk_summer_exchange'],
  }),
  institution({
    key: 'yuanfan',
    name: '上海远帆留学服务有限公司',
    city: '上海',
    first17: '91310104MA1FL2D47',
    codeValid: true,
    licence: {
      type: PRIVATE,
      legalRepresentative: '沈慧',
      registeredCapital: '壹仟万元整',
      establishedOn: '2016-04-12',
      validUntil: '2036-04-11',
      address: '上海市徐汇区漕溪北路398号汇智大厦15楼1503室',
      businessScope: SCOPE_CONSULTING,
      authority: '上海市徐汇区市场监督管理局',
      issuedOn: '2022-09-14',
      pdf: true,
    },
    submitter: 'submitter2',
    displayName: '机构管理员 沈佳琪',
    products: ['au_master', 'sg_undergrad', 'ca_undergrad'],
  }),
  institution({
    key: 'boya',
    name: '广州博雅国际教育科技有限公司',
    city: '广州',
    first17: '91440106778346258',
    codeValid: true,
    licence: {
      type: PRIVATE,
      legalRepresentative: '梁志强',
      registeredCapital: '叁佰万元整',
      establishedOn: '2005-07-01',
      validUntil: '2025-06-30',
      address: '广州市天河区天河路385号太古汇一座22层2208房',
      businessScope: SCOPE_TECH,
      authority: '广州市天河区市场监督管理局',
      issuedOn: '2019-03-22',
      pdf: true,
    },
    submitter: 'submitter3',
    displayName: '机构管理员 梁嘉欣',
    products: ['uk_undergrad_ucas', 'hk_master'],
  }),
  institution({
    key: 'qinghe',
    name: '杭州青禾教育科技有限公司',
    city: '杭州',
    first17: '91330106MA27WL3P8',
    codeValid: false,
    licence: {
      type: PRIVATE,
      legalRepresentative: '钱晓峰',
      registeredCapital: '贰佰万元整',
      establishedOn: '2019-08-23',
      validUntil: null,
      address: '浙江省杭州市西湖区文三路478号华星时代广场A座1102室',
      businessScope: SCOPE_TECH,
      authority: '杭州市西湖区市场监督管理局',
      issuedOn: '2024-01-10',
      pdf: true,
    },
    submitter: 'submitter4',
    displayName: '机构管理员 钱悦',
    products: ['kr_master', 'jp_language_school'],
  }),
  institution({
    key: 'jincheng',
    name: '成都锦程出国留学服务有限公司',
    city: '成都',
    first17: '915101070964357R2',
    codeValid: false,
    licence: {
      type: PRIVATE,
      legalRepresentative: '邓春燕',
      registeredCapital: '壹佰万元整',
      establishedOn: '2005-09-01',
      validUntil: '2025-08-31',
      address: '成都市武侯区人民南路四段27号商鼎国际1栋2单元1806号',
      businessScope: SCOPE_CONSULTING,
      authority: '成都市武侯区市场监督管理局',
      issuedOn: '2018-11-05',
      pdf: true,
    },
    submitter: 'submitter5',
    displayName: '机构管理员 邓磊',
    products: ['ie_master', 'au_master'],
  }),
  institution({
    key: 'zhiyuan',
    name: '深圳致远语言培训有限公司',
    city: '深圳',
    first17: '91440300MA5DC6HT1',
    codeValid: true,
    licence: {
      type: '有限责任公司（法人独资）',
      legalRepresentative: '黄志明',
      registeredCapital: '伍佰万元整',
      establishedOn: '2017-11-06',
      validUntil: '2047-11-05',
      address: '深圳市南山区粤海街道科技南十二路28号康佳研发大厦12楼',
      businessScope: SCOPE_LANGUAGE,
      authority: '深圳市市场监督管理局南山监管局',
      issuedOn: '2023-02-17',
      pdf: false,
    },
    submitter: 'submitter6',
    displayName: '机构管理员 黄诗琪',
    products: ['jp_language_school', 'ielts_sprint', 'toefl_camp'],
  }),
  institution({
    key: 'jinling',
    name: '南京金陵学府教育咨询有限公司',
    city: '南京',
    first17: '91320106MA1MB7G08',
    codeValid: true,
    licence: {
      type: '其他有限责任公司',
      legalRepresentative: '顾文静',
      registeredCapital: '叁佰万元整',
      establishedOn: '2012-05-21',
      validUntil: null,
      address: '南京市鼓楼区中山路129号南京中心大厦18楼1806室',
      businessScope: SCOPE_CONSULTING,
      authority: '南京市鼓楼区市场监督管理局',
      issuedOn: '2021-07-30',
      pdf: false,
    },
    submitter: 'submitter7',
    displayName: '机构管理员 顾晨',
    products: ['us_phd', 'nl_master', 'us_master_stem'],
  }),
  institution({
    key: 'donghu',
    name: '武汉东湖未来教育咨询有限公司',
    city: '武汉',
    first17: '91420111MA4K2QX56',
    codeValid: true,
    licence: {
      type: PRIVATE,
      legalRepresentative: '熊伟',
      registeredCapital: '贰佰万元整',
      establishedOn: '2018-02-09',
      validUntil: '2048-02-08',
      address: '武汉市洪山区珞喻路889号光谷国际广场B座2103室',
      businessScope: SCOPE_CONSULTING,
      authority: '武汉市洪山区市场监督管理局',
      issuedOn: '2022-04-18',
      pdf: false,
    },
    submitter: 'submitter8',
    displayName: '机构管理员 熊芳',
    products: ['fr_master', 'de_master'],
  }),
  institution({
    key: 'lianghang',
    name: '西安长安领航教育科技有限公司',
    city: '西安',
    first17: '91610113MA6U1E9N7',
    codeValid: true,
    licence: {
      type: PRIVATE,
      legalRepresentative: '杜鹏',
      registeredCapital: '伍佰万元整',
      establishedOn: '2014-10-15',
      validUntil: null,
      address: '西安市雁塔区高新路52号高科大厦9层',
      businessScope: SCOPE_TECH,
      authority: '西安市雁塔区市场监督管理局',
      issuedOn: '2020-12-03',
      pdf: false,
    },
    submitter: 'submitter9',
    displayName: '机构管理员 杜雪',
    products: ['uk_undergrad_ucas', 'us_undergrad_essay'],
  }),
  institution({
    key: 'haizhiyun',
    name: '青岛海之韵国际教育咨询有限公司',
    city: '青岛',
    first17: '91370202MA3CF5HA6',
    codeValid: true,
    licence: {
      type: PRIVATE,
      legalRepresentative: '于海燕',
      registeredCapital: '壹佰万元整',
      establishedOn: '2016-06-30',
      validUntil: '2036-06-29',
      address: '山东省青岛市市南区香港中路61号远洋大厦A座1609户',
      businessScope: SCOPE_CONSULTING,
      authority: '青岛市市南区市场监督管理局',
      issuedOn: '2021-03-09',
      pdf: false,
    },
    submitter: 'submitter10',
    displayName: '机构管理员 于涛',
    products: ['kr_master', 'jp_master'],
  }),
  institution({
    key: 'shancheng',
    name: '重庆山城远航教育信息咨询有限公司',
    city: '重庆',
    first17: '91500103MA5U7XK33',
    codeValid: true,
    licence: {
      type: PRIVATE,
      legalRepresentative: '谭小龙',
      registeredCapital: '叁佰万元整',
      establishedOn: '2020-01-08',
      validUntil: null,
      address: '重庆市渝中区民族路188号环球金融中心31层3105号',
      businessScope: SCOPE_CONSULTING,
      authority: '重庆市渝中区市场监督管理局',
      issuedOn: '2023-08-21',
      pdf: false,
    },
    submitter: 'submitter11',
    displayName: '机构管理员 谭敏',
    products: ['ca_undergrad', 'au_master'],
  }),
  institution({
    key: 'boxue',
    name: '苏州姑苏博学语言培训有限公司',
    city: '苏州',
    first17: '91320508MA1WD2R81',
    codeValid: true,
    licence: {
      type: '有限责任公司（自然人独资）',
      legalRepresentative: '陆雨桐',
      registeredCapital: '贰佰万元整',
      establishedOn: '2013-09-12',
      validUntil: '2033-09-11',
      address: '江苏省苏州市姑苏区人民路3118号国发平江大厦7楼',
      businessScope: SCOPE_LANGUAGE,
      authority: '苏州市姑苏区市场监督管理局',
      issuedOn: '2022-11-25',
      pdf: false,
    },
    submitter: 'submitter12',
    displayName: '机构管理员 陆琳',
    products: ['ielts_sprint', 'toefl_camp'],
  }),
  {
    key: 'tutor-chen',
    name: '陈雅婷',
    kind: 'tutor',
    city: '上海',
    creditCode: null,
    creditCodeValid: true,
    licence: null,
    certificate: {
      title: '教师资格证书',
      holderName: '陈雅婷',
      gender: '女',
      birthDate: '1990-07-12',
      certificateNo: '20193100242001357',
      qualification: '高级中学教师资格',
      subject: '英语',
      issuer: '上海市教育委员会',
      issuedOn: '2019-09-20',
      validUntil: null,
    },
    declaredValidUntil: null,
    submitter: { username: 'tutor1', displayName: '导师 陈雅婷' },
    products: ['us_undergrad_essay', 'us_master_essay'],
  },
  {
    key: 'tutor-li',
    name: '李明哲',
    kind: 'tutor',
    city: '南京',
    creditCode: null,
    creditCodeValid: true,
    licence: null,
    certificate: {
      title: '德语教学能力证书',
      holderName: '李明哲',
      gender: '男',
      birthDate: '1988-03-02',
      certificateNo: 'DE-T-2023-051876',
      qualification: '德语 C2 · 对外德语教学资质（可教授 A1–B2）',
      subject: '德语',
      issuer: '华东外语教学能力评估中心',
      issuedOn: '2023-12-15',
      validUntil: '2028-12-31',
    },
    declaredValidUntil: '2028-12-31',
    submitter: { username: 'tutor2', displayName: '导师 李明哲' },
    products: ['de_a1', 'de_master'],
  },
  {
    key: 'tutor-wang',
    name: '王思琪',
    kind: 'tutor',
    city: '大连',
    creditCode: null,
    creditCodeValid: true,
    licence: null,
    certificate: null,
    declaredValidUntil: null,
    submitter: { username: 'tutor3', displayName: '导师 王思琪' },
    products: ['jp_n2'],
  },
];

/** The institution with this key (throws for an unknown key: a typo in the demo tables). */
export function demoInstitution(key: string): DemoInstitution {
  return must(
    DEMO_INSTITUTIONS.find((candidate) => candidate.key === key),
    `institution ${key}`,
  );
}

/**
 * Providers whose papers are in order (valid code, licence still running, or a tutor with a
 * certificate): bulk listings go to them only, so that a reviewer opening any listing sees papers
 * that match the provider.
 */
export function isInGoodStanding(provider: DemoInstitution): boolean {
  if (provider.kind === 'tutor') {
    return provider.certificate !== null;
  }
  const licence = provider.licence;
  return (
    provider.creditCodeValid &&
    licence !== null &&
    licence.scenario !== 'valid_code_expired_term' &&
    licence.scenario !== 'invalid_code_expired_term'
  );
}

/** A mentor profile (导师资料) a listing may reference once verified. */
export interface DemoMentor {
  readonly key: string;
  readonly institutionKey: string;
  readonly name: string;
  readonly title: string;
  readonly verified: boolean;
}

export const DEMO_MENTORS: readonly DemoMentor[] = [
  {
    key: 'm-zhou',
    institutionKey: 'qmxt',
    name: '周文博',
    title: '前英国 G5 院校招生官，伦敦大学学院教育学硕士',
    verified: true,
  },
  {
    key: 'm-lin',
    institutionKey: 'qmxt',
    name: '林晓',
    title: '牛津大学教育学硕士，8 年英国硕士申请经验',
    verified: true,
  },
  {
    key: 'm-zhao',
    institutionKey: 'qmxt',
    name: '赵一鸣',
    title: '香港大学金融硕士，文书导师',
    verified: false,
  },
  {
    key: 'm-sun',
    institutionKey: 'yuanfan',
    name: '孙静怡',
    title: '墨尔本大学商科硕士，澳新申请负责人',
    verified: true,
  },
  {
    key: 'm-wu',
    institutionKey: 'yuanfan',
    name: '吴昊',
    title: '新加坡国立大学工程硕士',
    verified: false,
  },
  {
    key: 'm-huang',
    institutionKey: 'zhiyuan',
    name: '黄可欣',
    title: '德语 C2、日语 N1，语言培训教研主管',
    verified: true,
  },
  {
    key: 'm-xu',
    institutionKey: 'zhiyuan',
    name: '许晴',
    title: '雅思总分 8.5，雅思口语教学 7 年',
    verified: true,
  },
  {
    key: 'm-zheng',
    institutionKey: 'jinling',
    name: '郑凯',
    title: '普渡大学化学博士，博士申请规划导师',
    verified: true,
  },
  {
    key: 'm-he',
    institutionKey: 'donghu',
    name: '何佳',
    title: '巴黎高等商学院管理学硕士',
    verified: true,
  },
  {
    key: 'm-du',
    institutionKey: 'lianghang',
    name: '杜若',
    title: '哥伦比亚大学新闻学硕士，本科文书导师',
    verified: true,
  },
  {
    key: 'm-piao',
    institutionKey: 'haizhiyun',
    name: '朴贤',
    title: '首尔大学国际关系硕士',
    verified: false,
  },
  {
    key: 'm-chen',
    institutionKey: 'tutor-chen',
    name: '陈雅婷',
    title: '宾夕法尼亚大学教育学硕士，美本美研文书导师',
    verified: true,
  },
  {
    key: 'm-li',
    institutionKey: 'tutor-li',
    name: '李明哲',
    title: '海德堡大学日耳曼语言文学硕士，德语 C2',
    verified: true,
  },
  {
    key: 'm-wang',
    institutionKey: 'tutor-wang',
    name: '王思琪',
    title: '早稻田大学修士，日语 N1',
    verified: false,
  },
];

/** A back-office team member of the demo. */
export interface DemoStaffUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly active: boolean;
  /** Institution key, for collaborators. */
  readonly institutionKey: string | null;
}

/** The back office; submitters come from {@link DEMO_INSTITUTIONS}. */
export const DEMO_STAFF: readonly DemoStaffUser[] = [
  {
    username: 'collaborator1',
    displayName: '文案老师 张悦',
    role: 'collaborator',
    active: true,
    institutionKey: 'qmxt',
  },
  {
    username: 'assistant1',
    displayName: '运营助理 孙莉',
    role: 'assistant',
    active: true,
    institutionKey: null,
  },
  {
    username: 'reviewer1',
    displayName: '审核员 王敏',
    role: 'reviewer',
    active: true,
    institutionKey: null,
  },
  {
    username: 'reviewer2',
    displayName: '审核员 李强',
    role: 'reviewer',
    active: true,
    institutionKey: null,
  },
  {
    username: 'ops1',
    displayName: '运营经理 陈静',
    role: 'ops_manager',
    active: true,
    institutionKey: null,
  },
  { username: 'ta1', displayName: '助教 周婷', role: 'ta', active: true, institutionKey: null },
  {
    username: 'mentor1',
    displayName: '课程导师 郑好',
    role: 'mentor',
    active: true,
    institutionKey: null,
  },
  {
    username: 'reviewer9',
    displayName: '审核员 赵磊',
    role: 'reviewer',
    active: false,
    institutionKey: null,
  },
];

/** A demo user as the seed creates it (the password is the seed's). */
export interface DemoUser {
  readonly username: string;
  readonly displayName: string;
  readonly role: Role;
  readonly active: boolean;
  /** Key of the provider a submitter or collaborator belongs to. */
  readonly institutionKey: string | null;
}

/** Every demo user: one submitter per provider, then the back office. */
export function demoUsers(): DemoUser[] {
  return [
    ...DEMO_INSTITUTIONS.map((provider) => ({
      username: provider.submitter.username,
      displayName: provider.submitter.displayName,
      role: 'submitter' as const,
      active: true,
      institutionKey: provider.key,
    })),
    ...DEMO_STAFF,
  ];
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Demo files (resources/demo/manifest.json)

export type DemoFileMimeType = 'image/jpeg' | 'image/png' | 'application/pdf';

interface DemoFileBase {
  /** File name inside `resources/demo/`. */
  readonly file: string;
  readonly mimeType: DemoFileMimeType;
  readonly sizeBytes: number;
  readonly sha256: string;
}

/** A rendered business licence and what it shows (the ground truth for OCR checks). */
export interface DemoLicenceFile extends DemoFileBase {
  readonly kind: 'business_licence';
  readonly institutionKey: string;
  readonly scenario: LicenceScenario;
  /** 名称 */
  readonly name: string;
  /** 统一社会信用代码 exactly as printed. */
  readonly creditCode: string;
  /** Whether the printed code passes GB 32100-2015. */
  readonly creditCodeValid: boolean;
  readonly type: string;
  readonly legalRepresentative: string;
  readonly registeredCapital: string;
  readonly establishedOn: string;
  /** First day of 营业期限. */
  readonly validFrom: string;
  /** Last day of 营业期限; null for 长期. */
  readonly validUntil: string | null;
  readonly address: string;
  readonly businessScope: string;
  readonly registrationAuthority: string;
  readonly issuedOn: string;
}

/** A rendered tutor certificate. */
export interface DemoCertificateFile extends DemoFileBase {
  readonly kind: 'mentor_certificate';
  readonly institutionKey: string;
  readonly title: string;
  readonly holderName: string;
  readonly certificateNo: string;
  readonly qualification: string;
  readonly issuer: string;
  readonly issuedOn: string;
  readonly validUntil: string | null;
}

/** A screenshot-like image a student attaches to homework. */
export interface DemoScreenshotFile extends DemoFileBase {
  readonly kind: 'homework_screenshot';
  readonly key: string;
  readonly title: string;
  readonly platform: string;
}

export type DemoFile = DemoLicenceFile | DemoCertificateFile | DemoScreenshotFile;

export interface DemoManifest {
  readonly generatedBy: string;
  readonly note: string;
  readonly files: readonly DemoFile[];
}

/** `resources/demo/` file names of an institution's licence, or a tutor's certificate. */
export function licenceFileName(institutionKey: string, format: 'jpg' | 'pdf'): string {
  return `licence-${institutionKey}.${format}`;
}
export function certificateFileName(institutionKey: string): string {
  return `certificate-${institutionKey}.jpg`;
}
export function screenshotFileName(key: string): string {
  return `screenshot-${key}.png`;
}

/** What the homework screenshots show (rendered by the generator script). */
export interface DemoScreenshotSpec {
  readonly key: string;
  readonly platform: string;
  readonly title: string;
  readonly author: string;
  readonly meta: string;
  readonly paragraphs: readonly string[];
  readonly stats: string;
}

export const DEMO_SCREENSHOTS: readonly DemoScreenshotSpec[] = [
  {
    key: 'wechat-article',
    platform: '微信公众号',
    title: '用 AI 写作 30 天，我的公众号从 0 涨到 1200 粉',
    author: '小林的写作实验室',
    meta: '2026年11月12日 21:30 · 上海',
    paragraphs: [
      '一个月前，我给自己定了一个小目标：每天用 AI 辅助写一篇 1500 字的文章，连续 30 天。',
      '第一周最难的不是写，而是选题。我用课程里的「痛点 × 场景 × 反差」三段式 Prompt，一次生成 20 个候选标题，再挑出最具体的 3 个。',
      '第二周开始，我把 AI 当成编辑而不是作者：先自己写提纲，再让它补案例、挑逻辑漏洞。',
      '结果是：30 篇文章，平均阅读 860，最高一篇 3.2 万，新增关注 1200 人。',
    ],
    stats: '阅读 3.2万   赞 486   在看 92   分享 231',
  },
  {
    key: 'wechat-dashboard',
    platform: '公众号后台',
    title: '数据概况 · 近 7 天',
    author: '内容分析 · 图文分析',
    meta: '统计时间：2026-11-06 至 2026-11-12',
    paragraphs: [
      '阅读次数：18,436（较上周 ↑46.2%）',
      '分享次数：1,208（较上周 ↑31.7%）',
      '净增关注：316（较上周 ↑58.0%）',
      '完读率：62.4%（较上周 ↑5.3%）',
      '最佳文章：《三个 Prompt 让 AI 写出有温度的开头》',
    ],
    stats: '数据来源：微信公众平台 · 仅供作业展示',
  },
  {
    key: 'xhs-note',
    platform: '小红书',
    title: '打工人必备｜5 个让 AI 写出爆款笔记的提示词模板',
    author: '@阿晴在学写作',
    meta: '编辑于 2026-11-09 · 浙江',
    paragraphs: [
      '① 人设模板：你是一位有 5 年经验的职场博主，用第一人称分享……',
      '② 反差开头：先写「我以为……结果……」，3 秒抓住注意力。',
      '③ 清单结构：每条不超过 20 字，配一个 emoji。',
      '④ 评论区钩子：结尾抛一个二选一的问题。',
      '⑤ 标签组合：1 个大词 + 2 个长尾词 + 1 个地域词。',
    ],
    stats: '♥ 2.1万   ☆ 8,734   评论 612',
  },
];

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Study-abroad products (the listing templates)

type ProcessKind = 'application' | 'phd' | 'essay' | 'language' | 'exchange';

interface PackageSpec {
  readonly key: string;
  readonly name: string;
  readonly price: Price;
  readonly serviceItems: readonly string[];
  readonly sessions: number;
  readonly seats: number;
}

interface RequirementSpec {
  readonly key: string;
  readonly category: RequirementCategory;
  readonly text: string;
  readonly required: boolean;
}

/** A product an institution or tutor sells: everything its listing document says. */
export interface ProductTemplate {
  readonly key: string;
  readonly name: string;
  readonly country: CountryCode;
  readonly stages: readonly Stage[];
  readonly intakes: readonly Intake[];
  readonly introduction: string;
  readonly advantages: readonly string[];
  readonly successCases: readonly Omit<SuccessCase, 'id'>[];
  readonly packages: readonly PackageSpec[];
  readonly refund: { readonly templateId: RefundTemplateId; readonly customText?: string };
  readonly process: ProcessKind;
  readonly requirements: readonly RequirementSpec[];
}

const fixed = (currency: CurrencyCode, amount: string): Price => ({
  kind: 'fixed',
  currency,
  amount,
});
const range = (currency: CurrencyCode, min: string, max: string): Price => ({
  kind: 'range',
  currency,
  min,
  max,
});

const req = (
  key: string,
  category: RequirementCategory,
  text: string,
  required = true,
): RequirementSpec => ({ key, category, text, required });

const DEGREE = req('degree', 'academic', '本科在读（大三及以上）或已获学士学位');
const GPA_80 = req('gpa', 'academic', 'GPA 3.0/4.0 或均分 80 以上');
const HIGH_SCHOOL = req('school', 'academic', '高中在读（高二及以上）或已毕业，在校成绩中上');
const INTERN = req('intern', 'background', '有相关专业实习或科研经历者优先', false);

/** Timelines by kind of service: {stage name, duration, deliverable, acceptance criteria}. */
const TIMELINES: Readonly<Record<ProcessKind, readonly Omit<TimelineNode, 'id'>[]>> = {
  application: [
    {
      stageName: '背景评估与选校',
      duration: { value: 2, unit: 'week' },
      deliverable: '选校定位报告（冲刺、主申、保底三档）',
      acceptanceCriteria: '学员书面确认选校名单',
    },
    {
      stageName: '文书撰写与修改',
      duration: { value: 6, unit: 'week' },
      deliverable: '个人陈述、简历、推荐信定稿',
      acceptanceCriteria: '学员确认全部文书定稿版本',
    },
    {
      stageName: '网申递交',
      duration: { value: 4, unit: 'week' },
      deliverable: '各院校网申递交截图与确认邮件',
      acceptanceCriteria: '全部院校状态显示已提交',
    },
    {
      stageName: '面试辅导与录取跟进',
      duration: { value: 3, unit: 'month' },
      deliverable: '面试模拟记录与录取结果汇总表',
      acceptanceCriteria: '学员确认接受录取或申请季结束',
    },
    {
      stageName: '签证与行前指导',
      duration: { value: 4, unit: 'week' },
      deliverable: '签证材料清单核对表与行前手册',
      acceptanceCriteria: '签证材料递交并取得回执',
    },
  ],
  phd: [
    {
      stageName: '研究方向梳理与导师匹配',
      duration: { value: 4, unit: 'week' },
      deliverable: '目标导师与项目清单（20–30 位）',
      acceptanceCriteria: '学员确认目标导师名单',
    },
    {
      stageName: '套磁信与研究计划',
      duration: { value: 6, unit: 'week' },
      deliverable: '套磁信模板、研究计划书（Research Proposal）定稿',
      acceptanceCriteria: '套磁信全部发出并留存发送记录',
    },
    {
      stageName: '网申递交',
      duration: { value: 4, unit: 'week' },
      deliverable: '网申递交截图与推荐信提交状态表',
      acceptanceCriteria: '全部项目状态显示已完成',
    },
    {
      stageName: '面试辅导与奖学金谈判',
      duration: { value: 2, unit: 'month' },
      deliverable: '模拟面试记录、奖学金条款对比表',
      acceptanceCriteria: '学员确认录取或申请季结束',
    },
  ],
  essay: [
    {
      stageName: '需求沟通与素材挖掘',
      duration: { value: 1, unit: 'week' },
      deliverable: '素材清单与文书结构大纲',
      acceptanceCriteria: '学员确认大纲',
    },
    {
      stageName: '初稿撰写',
      duration: { value: 2, unit: 'week' },
      deliverable: '主文书及补充文书初稿',
      acceptanceCriteria: '初稿按约定字数与题目完成',
    },
    {
      stageName: '精修与定稿',
      duration: { value: 2, unit: 'week' },
      deliverable: '逐句修改记录与定稿版本',
      acceptanceCriteria: '学员书面确认定稿',
    },
  ],
  language: [
    {
      stageName: '入学测评与分班',
      duration: { value: 3, unit: 'day' },
      deliverable: '水平测评报告与个人学习计划',
      acceptanceCriteria: '学员确认学习计划',
    },
    {
      stageName: '基础强化',
      duration: { value: 4, unit: 'week' },
      deliverable: '每周课堂记录与作业批改',
      acceptanceCriteria: '出勤率不低于 90%',
    },
    {
      stageName: '专项突破',
      duration: { value: 4, unit: 'week' },
      deliverable: '听说读写分项练习与讲评',
      acceptanceCriteria: '阶段测试达到目标分数的 90%',
    },
    {
      stageName: '全真模考与考前冲刺',
      duration: { value: 2, unit: 'week' },
      deliverable: '两次全真模考成绩单与讲评',
      acceptanceCriteria: '学员完成报名并参加考试',
    },
  ],
  exchange: [
    {
      stageName: '项目匹配与报名',
      duration: { value: 2, unit: 'week' },
      deliverable: '项目推荐表与报名材料',
      acceptanceCriteria: '报名材料递交并取得确认邮件',
    },
    {
      stageName: '录取与签证',
      duration: { value: 4, unit: 'week' },
      deliverable: '录取通知书与签证材料核对表',
      acceptanceCriteria: '取得录取通知并完成签证递交',
    },
    {
      stageName: '行前培训',
      duration: { value: 1, unit: 'week' },
      deliverable: '行前手册与安全培训记录',
      acceptanceCriteria: '学员参加行前说明会',
    },
    {
      stageName: '海外学习与结业',
      duration: { value: 4, unit: 'week' },
      deliverable: '结业证书与成绩单',
      acceptanceCriteria: '取得课程成绩单',
    },
  ],
};

const RISK_TEXT: Readonly<Record<ProcessKind, { disclosure: string; afterSales: string }>> = {
  application: {
    disclosure:
      '留学申请结果由院校独立决定，本机构不承诺录取结果；签证审批由使领馆决定。因学员提供虚假材料导致的申请失败，责任由学员自行承担。院校申请费、签证费等第三方费用不在服务费内。',
    afterSales:
      '服务期内每周一次进度同步，工作日 24 小时内回复学员问题；更换顾问需提前 5 个工作日书面通知。',
  },
  phd: {
    disclosure:
      '博士录取与奖学金由院系和导师独立决定，本机构不承诺录取或奖学金结果；套磁回复率受研究方向和申请季影响。因学员学术材料不实导致的后果由学员自行承担。',
    afterSales: '服务期内每两周一次进度会议，套磁回复在 48 小时内给出跟进建议。',
  },
  essay: {
    disclosure:
      '文书服务只提供指导与修改，文书内容须基于学员真实经历，不代写、不编造经历；录取结果由院校独立决定，本服务不承诺录取结果。',
    afterSales: '定稿后 30 天内可免费微调一次；工作日 24 小时内回复修改意见。',
  },
  language: {
    disclosure:
      '考试成绩受个人基础、学习投入和临场发挥等因素影响，本课程不承诺具体分数；课程中的“保过”仅指未通过时可免费重读一期，不退还学费。',
    afterSales: '缺课可在 30 天内预约补课一次；课程结束后 3 个月内可免费答疑。',
  },
  exchange: {
    disclosure:
      '交换与暑校项目的录取由合作院校决定；境外学习期间须遵守当地法律与校规，个人财物与人身安全须自行注意。机票、住宿等费用以项目说明为准。',
    afterSales: '境外期间提供 7×24 小时紧急联络电话；回国后协助办理学分转换材料。',
  },
};

const APPLICATION_ITEMS = [
  '选校定位报告',
  '个人陈述与简历修改',
  '网申递交',
  '面试辅导',
  '签证材料审核',
];

/** The demo products. Names follow the seed's advice (country or stage in the name). */
export const PRODUCTS: readonly ProductTemplate[] = [
  {
    key: 'uk_master_flagship',
    name: '英国硕士申请旗舰包',
    country: 'GB',
    stages: ['master'],
    intakes: ['fall', 'spring'],
    introduction:
      '<p>面向计划申请<strong>英国一年制授课型硕士</strong>的本科在读生与在职人士，由 G5 院校毕业导师一对一全程指导。</p><ul><li>选校定位：结合 GPA、语言成绩与职业规划，制定冲刺、主申、保底三档方案</li><li>文书打磨：个人陈述、简历与推荐信逐字修改，平均 5 轮</li><li>网申递交与面试辅导，直至确认录取</li></ul><p>过去三个申请季累计服务 320 位学员。</p>',
    advantages: [
      'G5 院校毕业导师一对一指导',
      '文书不限次数修改直至定稿',
      '申请进度看板每日更新',
      '签约即锁定主申导师，全程不更换',
    ],
    successCases: [
      {
        year: 2025,
        studentBackground: '985 院校金融学本科，GPA 3.6，雅思 7.0',
        result: '录取伦敦政治经济学院金融硕士',
        highlight: '两周内完成文书重构，突出量化实习经历',
      },
      {
        year: 2024,
        studentBackground: '双非院校计算机本科，均分 85，雅思 6.5',
        result: '录取爱丁堡大学人工智能硕士',
        highlight: '以开源项目经历弥补院校背景',
      },
    ],
    packages: [
      {
        key: 'standard',
        name: '标准申请套餐（5 所院校）',
        price: fixed('CNY', '29800'),
        serviceItems: ['选校定位报告', '个人陈述与简历修改', '5 所院校网申递交'],
        sessions: 8,
        seats: 30,
      },
      {
        key: 'flagship',
        name: '旗舰套餐（8 所院校＋面试辅导）',
        price: range('GBP', '4500', '5800'),
        serviceItems: [
          '选校定位报告',
          '文书不限次数修改',
          '8 所院校网申递交',
          '面试模拟两次',
          '签证材料审核',
        ],
        sessions: 12,
        seats: 15,
      },
      {
        key: 'sprint',
        name: '冲刺单校申请',
        price: fixed('GBP', '1200'),
        serviceItems: ['单所院校文书定制', '网申递交'],
        sessions: 3,
        seats: 50,
      },
    ],
    refund: {
      templateId: 'standard_7_days',
      customText: '<p>已递交的院校申请费由院校收取，不在退款范围内。</p>',
    },
    process: 'application',
    requirements: [
      DEGREE,
      GPA_80,
      req('ielts', 'language', '雅思 6.5（单项不低于 6.0）或同等托福成绩', false),
      INTERN,
    ],
  },
  {
    key: 'us_master_stem',
    name: '美国STEM硕士申请全程包',
    country: 'US',
    stages: ['master'],
    intakes: ['fall'],
    introduction:
      '<p>专注美国<strong>计算机、数据科学、电子工程</strong>等 STEM 硕士项目，覆盖 Top 30 院校。导师均有北美名校 STEM 背景，熟悉 OPT 与 STEM 延期政策。</p><p>服务包括选校、文书、网申、面试与签证指导，帮助学员在 12 月截止前完成全部递交。</p>',
    advantages: [
      '北美 STEM 背景导师全程带队',
      '项目经历深度挖掘与包装',
      '12 月前完成全部网申',
      '含 F-1 签证面试模拟',
    ],
    successCases: [
      {
        year: 2025,
        studentBackground: '211 院校软件工程本科，GPA 3.5，托福 102，GRE 325',
        result: '录取卡内基梅隆大学信息系统管理硕士',
        highlight: '把两段实习整合成完整的产品故事线',
      },
    ],
    packages: [
      {
        key: 'full10',
        name: '10 所院校全程申请',
        price: fixed('USD', '6800'),
        serviceItems: APPLICATION_ITEMS,
        sessions: 12,
        seats: 40,
      },
      {
        key: 'vip15',
        name: '15 所院校尊享申请',
        price: range('USD', '8800', '11800'),
        serviceItems: [...APPLICATION_ITEMS, '教授推荐信沟通指导'],
        sessions: 18,
        seats: 10,
      },
    ],
    refund: { templateId: 'standard_14_days' },
    process: 'application',
    requirements: [
      DEGREE,
      req('gpa', 'academic', 'GPA 3.2/4.0 以上'),
      req('toefl', 'language', '托福 90 以上或雅思 6.5 以上'),
      req('gre', 'other', 'GRE 成绩（部分项目可免）', false),
    ],
  },
  {
    key: 'hk_master',
    name: '香港一年制硕士申请',
    country: 'HK',
    stages: ['master'],
    intakes: ['fall'],
    introduction:
      '<p>针对<strong>港大、港中文、港科大</strong>等香港高校一年制授课型硕士，提供选校、文书、面试一站式服务。</p><p>香港硕士申请轮次多、截止早，我们按轮次排期，确保每所院校在第一轮递交。</p>',
    advantages: ['按轮次排期，第一轮递交', '港校校友导师面试模拟', '可与新加坡联申'],
    successCases: [
      {
        year: 2025,
        studentBackground: '211 院校新闻学本科，均分 84，雅思 7.0',
        result: '录取香港中文大学全球传播硕士',
        highlight: '作品集与个人陈述互相呼应',
      },
    ],
    packages: [
      {
        key: 'hk3',
        name: '港三校申请套餐',
        price: fixed('HKD', '28000'),
        serviceItems: ['选校定位报告', '个人陈述与简历修改', '3 所院校网申递交', '面试辅导'],
        sessions: 6,
        seats: 30,
      },
      {
        key: 'hksg',
        name: '港新联申套餐（6 所院校）',
        price: range('CNY', '32800', '39800'),
        serviceItems: [
          '选校定位报告',
          '文书不限次数修改',
          '6 所院校网申递交',
          '面试辅导',
          '签证材料审核',
        ],
        sessions: 10,
        seats: 20,
      },
    ],
    refund: { templateId: 'standard_7_days' },
    process: 'application',
    requirements: [DEGREE, GPA_80, req('ielts', 'language', '雅思 6.5 或托福 80 以上')],
  },
  {
    key: 'uk_summer_exchange',
    name: '英国G5暑校交换项目',
    country: 'GB',
    stages: ['exchange', 'undergraduate'],
    intakes: ['rolling'],
    introduction:
      '<p>牛津、剑桥、伦敦大学学院等英国名校<strong>暑期学分课程</strong>，3 周或 6 周可选，结业获官方成绩单，可申请国内学分转换。</p><p>含报名、签证、行前培训与海外期间 24 小时紧急支持。</p>',
    advantages: ['官方成绩单可转学分', '小班授课，名校教授任教', '含住宿安排与接机'],
    successCases: [
      {
        year: 2024,
        studentBackground: '985 院校经济学大二学生',
        result: '完成伦敦政治经济学院暑校两门课程，成绩 A',
        highlight: '暑校推荐信助力次年硕士申请',
      },
    ],
    packages: [
      {
        key: 'w3',
        name: '三周学分课程',
        price: fixed('GBP', '3980'),
        serviceItems: ['项目报名', '签证材料审核', '行前培训', '住宿安排'],
        sessions: 4,
        seats: 40,
      },
      {
        key: 'w6',
        name: '六周学分课程',
        price: range('GBP', '6200', '7400'),
        serviceItems: ['项目报名', '签证材料审核', '行前培训', '住宿安排', '学分转换指导'],
        sessions: 6,
        seats: 20,
      },
    ],
    refund: { templateId: 'pro_rata' },
    process: 'exchange',
    requirements: [
      req('student', 'academic', '国内本科在读学生'),
      req('ielts', 'language', '雅思 6.5 或同等英语成绩'),
      req('passport', 'other', '有效期 6 个月以上的护照'),
    ],
  },
  {
    key: 'au_master',
    name: '澳洲八大硕士直通车',
    country: 'AU',
    stages: ['master'],
    intakes: ['spring', 'fall'],
    introduction:
      '<p>澳洲八大名校授课型硕士申请，<strong>2 月与 7 月双入学季</strong>。熟悉各校对国内院校的认可名单与均分要求，可同时申请配套语言课程。</p><p>含学生签证（500 类）材料审核与行前指导。</p>',
    advantages: ['熟悉八大院校均分要求', '可配套语言课程申请', '500 类签证材料审核'],
    successCases: [
      {
        year: 2025,
        studentBackground: '双非院校会计学本科，均分 78，雅思 6.5',
        result: '录取悉尼大学专业会计硕士',
        highlight: '准确匹配院校认可名单，避开高门槛项目',
      },
    ],
    packages: [
      {
        key: 'au3',
        name: '3 所院校申请',
        price: fixed('AUD', '3980'),
        serviceItems: ['选校定位报告', '文书修改', '3 所院校网申递交'],
        sessions: 5,
        seats: 40,
      },
      {
        key: 'au6',
        name: '6 所院校＋签证全程',
        price: fixed('CNY', '26800'),
        serviceItems: ['选校定位报告', '文书修改', '6 所院校网申递交', '签证材料审核', '行前指导'],
        sessions: 9,
        seats: 25,
      },
    ],
    refund: { templateId: 'standard_7_days' },
    process: 'application',
    requirements: [
      DEGREE,
      req('avg', 'academic', '均分 75 以上（视院校认可名单）'),
      req('ielts', 'language', '雅思 6.5（单项 6.0）'),
    ],
  },
  {
    key: 'sg_undergrad',
    name: '新加坡本科申请规划',
    country: 'SG',
    stages: ['undergraduate'],
    intakes: ['fall'],
    introduction:
      '<p>面向高考生与国际课程学生的<strong>新加坡国立大学、南洋理工大学</strong>本科申请规划，含笔试与面试准备。</p><p>根据高考成绩或 A-Level、IB 成绩制定申请策略。</p>',
    advantages: ['高考成绩与国际课程双通道', '笔试面试专项辅导', '含奖学金申请指导'],
    successCases: [
      {
        year: 2025,
        studentBackground: '江苏高考 628 分，英语 138',
        result: '录取南洋理工大学电气与电子工程本科',
        highlight: '面试中突出竞赛与项目经历',
      },
    ],
    packages: [
      {
        key: 'sg2',
        name: 'NUS/NTU 双校申请',
        price: fixed('SGD', '6800'),
        serviceItems: ['申请策略规划', '个人陈述修改', '2 所院校网申递交', '面试辅导'],
        sessions: 8,
        seats: 20,
      },
    ],
    refund: { templateId: 'standard_14_days' },
    process: 'application',
    requirements: [
      HIGH_SCHOOL,
      req('english', 'language', '高考英语 130 分以上或雅思 6.5'),
      req('award', 'background', '学科竞赛获奖者优先', false),
    ],
  },
  {
    key: 'ca_undergrad',
    name: '加拿大本科申请计划',
    country: 'CA',
    stages: ['undergraduate'],
    intakes: ['fall', 'spring'],
    introduction:
      '<p>多伦多大学、英属哥伦比亚大学、麦吉尔大学等加拿大本科申请，<strong>支持国内高中与国际课程学生</strong>。</p><p>提供选校、补充材料、学习许可申请全程服务。</p>',
    advantages: ['熟悉各省大学录取差异', '补充材料与视频面试指导', '学习许可材料审核'],
    successCases: [
      {
        year: 2024,
        studentBackground: '国际学校 AP 4 门 5 分，托福 105',
        result: '录取多伦多大学计算机科学本科',
        highlight: '补充文书突出编程社团领导经历',
      },
    ],
    packages: [
      {
        key: 'ca5',
        name: '5 所院校申请',
        price: fixed('CAD', '5200'),
        serviceItems: ['选校规划', '补充文书修改', '5 所院校网申递交', '学习许可材料审核'],
        sessions: 8,
        seats: 30,
      },
    ],
    refund: { templateId: 'standard_7_days' },
    process: 'application',
    requirements: [HIGH_SCHOOL, req('toefl', 'language', '托福 90 或雅思 6.5 以上')],
  },
  {
    key: 'uk_undergrad_ucas',
    name: '英国本科UCAS申请全程',
    country: 'GB',
    stages: ['undergraduate'],
    intakes: ['fall'],
    introduction:
      '<p>英国本科 <strong>UCAS 五个志愿</strong>全程申请，含个人陈述、推荐信指导与笔试面试准备，牛剑与医学方向可加购冲刺辅导。</p>',
    advantages: ['UCAS 个人陈述逐句打磨', '牛剑笔试面试专项', '志愿组合策略'],
    successCases: [
      {
        year: 2025,
        studentBackground: 'A-Level 数学、进阶数学、物理 A*A*A',
        result: '录取帝国理工学院机械工程本科',
        highlight: '个人陈述聚焦机器人竞赛中的失败与改进',
      },
    ],
    packages: [
      {
        key: 'ucas5',
        name: 'UCAS 五个志愿申请',
        price: fixed('CNY', '35800'),
        serviceItems: ['志愿规划', '个人陈述修改', 'UCAS 递交', '面试辅导'],
        sessions: 10,
        seats: 30,
      },
      {
        key: 'oxbridge',
        name: '牛剑冲刺辅导',
        price: range('GBP', '5800', '7800'),
        serviceItems: ['笔试专项训练', '模拟面试三次', '个人陈述深度修改'],
        sessions: 12,
        seats: 8,
      },
    ],
    refund: { templateId: 'standard_7_days' },
    process: 'application',
    requirements: [
      HIGH_SCHOOL,
      req('alevel', 'academic', 'A-Level 预估成绩 AAA 及以上或同等成绩'),
      req('ielts', 'language', '雅思 6.5 以上'),
    ],
  },
  {
    key: 'kr_master',
    name: '韩国研究生申请直通车',
    country: 'KR',
    stages: ['master'],
    intakes: ['spring', 'fall'],
    introduction:
      '<p>首尔大学、高丽大学、延世大学等韩国研究生院申请，<strong>英文授课与韩语授课项目均可</strong>。含研究计划书指导与 D-2 签证材料审核。</p>',
    advantages: ['英韩双语授课项目可选', '研究计划书一对一指导', 'D-2 签证材料审核'],
    successCases: [
      {
        year: 2025,
        studentBackground: '双非院校国际贸易本科，TOPIK 5 级',
        result: '录取高丽大学国际研究生院',
        highlight: '研究计划聚焦中韩跨境电商',
      },
    ],
    packages: [
      {
        key: 'kr3',
        name: '3 所院校申请',
        price: fixed('KRW', '4500000'),
        serviceItems: ['选校规划', '研究计划书指导', '3 所院校递交'],
        sessions: 6,
        seats: 30,
      },
      {
        key: 'kr5',
        name: '5 所院校＋签证',
        price: range('KRW', '5500000', '7000000'),
        serviceItems: ['选校规划', '研究计划书指导', '5 所院校递交', 'D-2 签证材料审核'],
        sessions: 8,
        seats: 20,
      },
    ],
    refund: { templateId: 'standard_7_days' },
    process: 'application',
    requirements: [DEGREE, req('lang', 'language', 'TOPIK 4 级以上或雅思 6.0（英文项目）')],
  },
  {
    key: 'jp_language_school',
    name: '日本语言学校申请',
    country: 'JP',
    stages: ['language_intensive'],
    intakes: ['spring', 'fall'],
    introduction:
      '<p>东京、大阪、京都等地<strong>日本语言学校</strong>入学申请，含学校匹配、在留资格认定申请与行前指导，适合计划升学日本大学院或大学的学生。</p>',
    advantages: ['合作语言学校 60 余所', '在留资格材料一次通过率高', '可衔接修士申请'],
    successCases: [
      {
        year: 2025,
        studentBackground: '大专毕业，日语 N4',
        result: '入读东京都内语言学校，一年后考取 N1',
        highlight: '按升学目标选择升学型语言学校',
      },
    ],
    packages: [
      {
        key: 'basic',
        name: '标准申请',
        price: fixed('JPY', '180000'),
        serviceItems: ['语言学校匹配', '申请材料翻译与审核', '在留资格认定申请'],
        sessions: 4,
        seats: 60,
      },
      {
        key: 'full',
        name: '申请＋行前全程',
        price: range('JPY', '260000', '320000'),
        serviceItems: [
          '语言学校匹配',
          '申请材料翻译与审核',
          '在留资格认定申请',
          '签证办理',
          '接机与住宿安排',
        ],
        sessions: 6,
        seats: 40,
      },
    ],
    refund: { templateId: 'standard_14_days' },
    process: 'exchange',
    requirements: [
      req('edu', 'academic', '高中及以上学历'),
      req('jlpt', 'language', '日语学习 150 学时以上或 N5 以上', false),
      req('fund', 'other', '经费支付人存款证明'),
    ],
  },
  {
    key: 'ie_master',
    name: '爱尔兰硕士申请全程服务',
    country: 'IE',
    stages: ['master'],
    intakes: ['fall'],
    introduction:
      '<p>都柏林圣三一学院、都柏林大学等爱尔兰高校一年制硕士申请，<strong>毕业后可获两年工作签证</strong>。提供选校、文书、签证全程服务。</p>',
    advantages: ['熟悉爱尔兰工签政策', '文书与签证一条龙', '含行前租房指导'],
    successCases: [
      {
        year: 2025,
        studentBackground: '双非院校计算机本科，均分 80，雅思 6.5',
        result: '录取都柏林大学数据分析硕士',
        highlight: '项目经历突出数据清洗与可视化',
      },
    ],
    packages: [
      {
        key: 'ie4',
        name: '4 所院校申请',
        price: fixed('EUR', '3800'),
        serviceItems: ['选校定位报告', '个人陈述修改', '4 所院校网申递交', '签证材料审核'],
        sessions: 7,
        seats: 30,
      },
    ],
    refund: { templateId: 'standard_7_days' },
    process: 'application',
    requirements: [DEGREE, GPA_80, req('ielts', 'language', '雅思 6.5 以上')],
  },
  {
    key: 'ielts_sprint',
    name: '雅思7分冲刺小班',
    country: 'GB',
    stages: ['language_intensive'],
    intakes: ['rolling'],
    introduction:
      '<p>6–8 人小班，<strong>10 周冲刺雅思总分 7 分</strong>。口语写作逐人批改，每两周一次全真模考，适合已有 6 分基础、急需提分的申请者。</p>',
    advantages: [
      '6–8 人精品小班',
      '口语写作逐人批改',
      '每两周一次全真模考',
      '未达目标免费重读一期',
    ],
    successCases: [
      {
        year: 2025,
        studentBackground: '首考雅思 6.0（写作 5.5）',
        result: '10 周后雅思总分 7.0，写作 6.5',
        highlight: '写作按 Task 2 论证结构专项训练',
      },
    ],
    packages: [
      {
        key: 'class',
        name: '10 周冲刺小班',
        price: fixed('CNY', '6800'),
        serviceItems: ['40 课时小班授课', '写作批改 20 篇', '口语一对一陪练 5 次', '全真模考 5 次'],
        sessions: 40,
        seats: 8,
      },
      {
        key: 'one',
        name: '一对一定制课程',
        price: range('CNY', '12800', '16800'),
        serviceItems: ['30 课时一对一授课', '写作批改不限篇数', '全真模考 5 次'],
        sessions: 30,
        seats: 20,
      },
    ],
    refund: { templateId: 'pro_rata' },
    process: 'language',
    requirements: [
      req('base', 'language', '雅思 6.0 或同等英语水平'),
      req('time', 'other', '每周可保证 8 小时以上学习时间'),
    ],
  },
  {
    key: 'toefl_camp',
    name: '托福100+强化营',
    country: 'US',
    stages: ['language_intensive'],
    intakes: ['rolling'],
    introduction:
      '<p>面向美研、美本申请者的<strong>托福 100+ 强化课程</strong>，8 周集中训练，覆盖 2023 年改革后的新题型。</p>',
    advantages: ['覆盖托福新题型', '口语 AI 评分与老师复核', '每周一次模考'],
    successCases: [
      {
        year: 2024,
        studentBackground: '托福首考 88',
        result: '8 周后托福 104',
        highlight: '阅读与口语同步提升',
      },
    ],
    packages: [
      {
        key: 'camp',
        name: '8 周强化营',
        price: fixed('CNY', '7980'),
        serviceItems: ['48 课时小班授课', '口语批改 30 次', '写作批改 16 篇', '模考 8 次'],
        sessions: 48,
        seats: 12,
      },
    ],
    refund: { templateId: 'pro_rata' },
    process: 'language',
    requirements: [req('base', 'language', '托福 80 或同等英语水平')],
  },
  {
    key: 'us_phd',
    name: '美国博士全奖申请计划',
    country: 'US',
    stages: ['phd'],
    intakes: ['fall'],
    introduction:
      '<p>面向理工科硕士与优秀本科生的<strong>美国博士全奖申请</strong>。导师均为美国 Top 50 博士，协助梳理研究方向、匹配导师、撰写研究计划与套磁信。</p>',
    advantages: ['美国 Top 50 博士导师', '导师匹配与套磁全程跟进', '奖学金条款对比与谈判指导'],
    successCases: [
      {
        year: 2025,
        studentBackground: '985 院校化学硕士，两篇 SCI 论文',
        result: '录取普渡大学化学博士，全额奖学金',
        highlight: '套磁信精准对接导师最新课题',
      },
    ],
    packages: [
      {
        key: 'full',
        name: '博士全程申请（12 个项目）',
        price: range('USD', '9800', '14800'),
        serviceItems: [
          '研究方向梳理',
          '导师匹配',
          '研究计划书修改',
          '套磁信修改',
          '12 个项目网申',
          '面试辅导',
        ],
        sessions: 20,
        seats: 10,
      },
      {
        key: 'contact',
        name: '套磁专项',
        price: fixed('USD', '3600'),
        serviceItems: ['导师匹配', '套磁信修改', '回复跟进建议'],
        sessions: 6,
        seats: 20,
      },
    ],
    refund: { templateId: 'standard_14_days' },
    process: 'phd',
    requirements: [
      req('degree', 'academic', '硕士在读/毕业，或本科成绩前 10%'),
      req('research', 'background', '至少一段完整科研经历'),
      req('toefl', 'language', '托福 100 或雅思 7.0'),
    ],
  },
  {
    key: 'nl_master',
    name: '荷兰硕士申请全程服务',
    country: 'NL',
    stages: ['master'],
    intakes: ['fall'],
    introduction:
      '<p>代尔夫特理工、阿姆斯特丹大学、莱顿大学等荷兰高校英语授课硕士申请，<strong>学费低、可申请一年找工作签证</strong>。</p>',
    advantages: ['熟悉 Studielink 申请流程', '含居留许可材料审核', '可同时申请奖学金'],
    successCases: [
      {
        year: 2024,
        studentBackground: '211 院校土木工程本科，GPA 3.4，雅思 7.0',
        result: '录取代尔夫特理工大学土木工程硕士',
        highlight: '作品集突出参数化设计项目',
      },
    ],
    packages: [
      {
        key: 'nl3',
        name: '3 所院校申请',
        price: fixed('EUR', '3200'),
        serviceItems: ['选校定位报告', '动机信修改', '3 所院校网申递交'],
        sessions: 6,
        seats: 25,
      },
      {
        key: 'nl5',
        name: '5 所院校＋奖学金申请',
        price: range('EUR', '4200', '5200'),
        serviceItems: [
          '选校定位报告',
          '动机信修改',
          '5 所院校网申递交',
          '奖学金申请',
          '居留许可材料审核',
        ],
        sessions: 9,
        seats: 15,
      },
    ],
    refund: { templateId: 'standard_7_days' },
    process: 'application',
    requirements: [
      DEGREE,
      req('gpa', 'academic', 'GPA 3.0/4.0 以上'),
      req('ielts', 'language', '雅思 6.5（单项 6.0）'),
    ],
  },
  {
    key: 'fr_master',
    name: '法国高商硕士申请',
    country: 'FR',
    stages: ['master'],
    intakes: ['fall', 'spring'],
    introduction:
      '<p>HEC、ESSEC、ESCP 等法国精英商学院<strong>管理学与金融硕士</strong>申请，含 GMAT/TAGE MAGE 规划、面试辅导与 Campus France 面签指导。</p>',
    advantages: ['高商校友导师面试模拟', 'Campus France 面签指导', '含奖学金申请'],
    successCases: [
      {
        year: 2025,
        studentBackground: '211 院校市场营销本科，GMAT 690',
        result: '录取 ESSEC 商学院管理学硕士',
        highlight: '面试中突出跨文化团队经历',
      },
    ],
    packages: [
      {
        key: 'fr4',
        name: '4 所商学院申请',
        price: fixed('EUR', '4500'),
        serviceItems: ['选校规划', '文书修改', '4 所院校网申递交', '面试辅导', '面签指导'],
        sessions: 8,
        seats: 20,
      },
    ],
    refund: { templateId: 'standard_7_days' },
    process: 'application',
    requirements: [
      DEGREE,
      req('gmat', 'academic', 'GMAT 650 以上或 GRE 同等成绩'),
      req('ielts', 'language', '雅思 7.0 或托福 100'),
    ],
  },
  {
    key: 'de_master',
    name: '德国公立大学硕士申请',
    country: 'DE',
    stages: ['master'],
    intakes: ['fall', 'spring'],
    introduction:
      '<p>德国公立大学英语授课与德语授课硕士申请，<strong>免学费</strong>。含 APS 审核辅导、Uni-assist 递交与签证材料准备。</p>',
    advantages: ['APS 审核面谈专项辅导', '熟悉 Uni-assist 递交规则', '德语与英语项目均可'],
    successCases: [
      {
        year: 2025,
        studentBackground: '211 院校机械工程本科，均分 82，雅思 6.5',
        result: '录取亚琛工业大学机械工程硕士',
        highlight: 'APS 面谈一次通过',
      },
    ],
    packages: [
      {
        key: 'de5',
        name: '5 所院校申请',
        price: fixed('EUR', '2800'),
        serviceItems: ['选校规划', '动机信与简历修改', '5 所院校递交', '签证材料审核'],
        sessions: 7,
        seats: 30,
      },
      {
        key: 'aps',
        name: 'APS 审核辅导',
        price: fixed('CNY', '6800'),
        serviceItems: ['APS 材料准备', '面谈模拟三次'],
        sessions: 3,
        seats: 40,
      },
    ],
    refund: { templateId: 'standard_7_days' },
    process: 'application',
    requirements: [
      DEGREE,
      req('avg', 'academic', '均分 75 以上'),
      req('lang', 'language', '雅思 6.5 或德福 16 分'),
    ],
  },
  {
    key: 'us_undergrad_essay',
    name: '美国本科文书精修',
    country: 'US',
    stages: ['undergraduate'],
    intakes: ['fall'],
    introduction:
      '<p>美国本科 <strong>Common App 主文书与补充文书</strong>一对一精修。从素材挖掘到定稿，坚持学生本人执笔，导师负责结构、逻辑与语言打磨。</p>',
    advantages: ['坚持学生本人执笔', '常春藤毕业导师一对一', '补充文书按校定制'],
    successCases: [
      {
        year: 2025,
        studentBackground: '公立高中国际部，托福 108，SAT 1520',
        result: '录取康奈尔大学 ED',
        highlight: '主文书从家庭小吃店写出社区观察',
      },
    ],
    packages: [
      {
        key: 'main',
        name: '主文书精修',
        price: fixed('USD', '1280'),
        serviceItems: ['素材访谈', '主文书结构设计', '逐句修改至定稿'],
        sessions: 5,
        seats: 30,
      },
      {
        key: 'all',
        name: '全套文书（主文书＋10 所补充文书）',
        price: range('USD', '3800', '5600'),
        serviceItems: ['素材访谈', '主文书精修', '10 所院校补充文书', '活动列表优化'],
        sessions: 15,
        seats: 12,
      },
    ],
    refund: { templateId: 'standard_7_days' },
    process: 'essay',
    requirements: [HIGH_SCHOOL, req('english', 'language', '托福 95 以上或同等英语写作能力')],
  },
  {
    key: 'us_master_essay',
    name: '美国硕士文书一对一精修',
    country: 'US',
    stages: ['master'],
    intakes: ['fall'],
    introduction:
      '<p>美国硕士个人陈述（SOP）与简历一对一精修，<strong>导师亲自修改，不转包</strong>。适合已有选校方案、需要专业文书打磨的申请者。</p>',
    advantages: ['导师亲自修改，不转包', '48 小时内返回修改稿', '含简历与推荐信要点'],
    successCases: [
      {
        year: 2025,
        studentBackground: '985 院校教育学本科，GPA 3.7',
        result: '录取宾夕法尼亚大学教育学硕士',
        highlight: 'SOP 围绕乡村支教经历展开',
      },
    ],
    packages: [
      {
        key: 'sop',
        name: 'SOP＋简历精修',
        price: fixed('USD', '980'),
        serviceItems: ['SOP 逐句修改', '简历优化', '推荐信要点清单'],
        sessions: 4,
        seats: 20,
      },
    ],
    refund: { templateId: 'standard_7_days' },
    process: 'essay',
    requirements: [DEGREE, req('plan', 'other', '已确定目标院校与专业方向')],
  },
  {
    key: 'de_a1',
    name: '德语A1保过营',
    country: 'DE',
    stages: ['language_intensive'],
    intakes: ['rolling'],
    introduction:
      '<p>零基础 <strong>8 周通过歌德 A1 考试</strong>。小班直播授课，每周 3 次课，配套发音纠正与模拟考试；适合办理德国家庭团聚签证或准备德国留学的学员。</p>',
    advantages: [
      '零基础 8 周直达 A1',
      '每周 3 次直播小班课',
      '发音一对一纠正',
      '未通过免费重读一期',
    ],
    successCases: [
      {
        year: 2025,
        studentBackground: '零基础在职学员，每周学习 6 小时',
        result: '8 周后通过歌德 A1 考试（82 分）',
        highlight: '口语考试按场景反复演练',
      },
    ],
    packages: [
      {
        key: 'group',
        name: '8 周直播小班',
        price: fixed('CNY', '3980'),
        serviceItems: ['24 次直播课', '发音纠正', '2 次模拟考试'],
        sessions: 24,
        seats: 10,
      },
      {
        key: 'private',
        name: '一对一冲刺',
        price: fixed('EUR', '680'),
        serviceItems: ['16 次一对一课程', '模拟考试与讲评'],
        sessions: 16,
        seats: 6,
      },
    ],
    refund: { templateId: 'pro_rata' },
    process: 'language',
    requirements: [
      req('time', 'other', '每周可保证 6 小时学习时间'),
      req('base', 'language', '零基础或 A1 以下水平', false),
    ],
  },
  {
    key: 'jp_n2',
    name: '日语N2冲刺营',
    country: 'JP',
    stages: ['language_intensive'],
    intakes: ['rolling'],
    introduction:
      '<p>12 周冲刺 <strong>JLPT N2</strong>，语法、词汇、听力分项突破，适合计划升学日本的学员。</p>',
    advantages: ['12 周分项突破', '真题精讲'],
    successCases: [],
    packages: [
      {
        key: 'class',
        name: '12 周小班',
        price: fixed('JPY', '58000'),
        serviceItems: ['36 次直播课', '模拟考试 3 次'],
        sessions: 36,
        seats: 12,
      },
    ],
    refund: { templateId: 'pro_rata' },
    process: 'language',
    requirements: [req('base', 'language', '日语 N3 或同等水平')],
  },
  {
    key: 'jp_master',
    name: '日本修士申请全程辅导',
    country: 'JP',
    stages: ['master'],
    intakes: ['spring', 'fall'],
    introduction:
      '<p>日本国公立与私立名校<strong>修士（硕士）申请</strong>，含研究计划书、教授联络、笔试与面试辅导，可选英语授课项目。</p>',
    advantages: ['研究计划书一对一指导', '教授联络邮件修改', '笔试面试专项辅导'],
    successCases: [
      {
        year: 2024,
        studentBackground: '双非院校日语专业，N1 150 分',
        result: '录取早稻田大学文学研究科修士',
        highlight: '研究计划聚焦近代日本翻译史',
      },
    ],
    packages: [
      {
        key: 'full',
        name: '修士全程申请（3 所）',
        price: fixed('JPY', '350000'),
        serviceItems: ['研究计划书指导', '教授联络', '3 所院校出愿', '笔试面试辅导'],
        sessions: 10,
        seats: 20,
      },
      {
        key: 'plan',
        name: '研究计划书专项',
        price: range('JPY', '120000', '160000'),
        serviceItems: ['研究计划书指导', '修改至定稿'],
        sessions: 4,
        seats: 30,
      },
    ],
    refund: { templateId: 'standard_14_days' },
    process: 'application',
    requirements: [DEGREE, req('jlpt', 'language', '日语 N1 或托福 80（英语项目）')],
  },
];

/** The product with this key (throws for an unknown key). */
export function demoProduct(key: string): ProductTemplate {
  return must(
    PRODUCTS.find((candidate) => candidate.key === key),
    `product ${key}`,
  );
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Listing documents

/** Who offers a listing, as the document names it. */
export interface ProviderRef {
  readonly kind: 'institution' | 'tutor';
  readonly id: string;
  readonly name: string;
}

/** A draft may still lack whole steps; it is saved as typed. */
export type DraftListingDocument = Pick<ListingDocument, 'schemaVersion' | 'provider' | 'basic'> &
  Partial<Omit<ListingDocument, 'schemaVersion' | 'provider' | 'basic'>>;

/** Rounding step of prices in a currency, so scaled prices look like prices. */
function priceStep(currency: CurrencyCode, amount: number): number {
  if (currency === 'JPY' || currency === 'KRW') {
    return amount >= 1_000_000 ? 100_000 : 1000;
  }
  return amount >= 10_000 ? 100 : 10;
}

function scaleAmount(currency: CurrencyCode, amount: string, factor: number): string {
  const value = Number(amount) * factor;
  const step = priceStep(currency, value);
  return String(Math.max(step, Math.round(value / step) * step));
}

/** The price multiplied by `factor`, rounded to a price-like step of its currency. */
export function scalePrice(price: Price, factor: number): Price {
  if (price.kind === 'fixed') {
    return { ...price, amount: scaleAmount(price.currency, price.amount, factor) };
  }
  const min = scaleAmount(price.currency, price.min, factor);
  const max = scaleAmount(price.currency, price.max, factor);
  return { ...price, min, max: Number(max) < Number(min) ? min : max };
}

export interface DocumentInput {
  readonly product: ProductTemplate;
  readonly provider: ProviderRef;
  /** Verified mentor profile ids of the provider, referenced under highlights. */
  readonly mentorIds: readonly string[];
  /** Credential file entries, the required licence or certificate first. */
  readonly files: readonly CredentialFile[];
  /** Appended to the product name when it still fits (variants of bulk listings). */
  readonly nameSuffix?: string;
  /** Multiplies every price (variants of bulk listings); 1 by default. */
  readonly priceFactor?: number;
}

/**
 * A complete listing document of a product: every step filled in, risk confirmed (the time is
 * set when the revision is submitted, see `planListing`).
 */
export function buildListingDocument(input: DocumentInput): ListingDocument {
  const { product } = input;
  const suffixed = `${product.name}${input.nameSuffix ?? ''}`;
  const name = Array.from(suffixed).length <= 30 ? suffixed : product.name;
  const factor = input.priceFactor ?? 1;
  const risk = RISK_TEXT[product.process];
  const packages: ListingPackage[] = product.packages.map((spec) => ({
    id: `pkg_${spec.key}`,
    name: spec.name,
    price: factor === 1 ? { ...spec.price } : scalePrice(spec.price, factor),
    serviceItems: [...spec.serviceItems],
    sessions: spec.sessions,
    seats: spec.seats,
  }));
  return {
    schemaVersion: 1,
    provider: { ...input.provider },
    basic: {
      name,
      country: product.country,
      stages: [...product.stages],
      intakes: [...product.intakes],
      introduction: product.introduction,
    },
    highlights: {
      advantages: [...product.advantages],
      mentors: input.mentorIds.map((mentorId, index) => ({
        id: `mentor_ref_${index + 1}`,
        mentorId,
      })),
      successCases: product.successCases.map((successCase, index) => ({
        id: `case_${index + 1}`,
        ...successCase,
      })),
    },
    packages: {
      items: packages,
      refundPolicy:
        product.refund.customText === undefined
          ? { templateId: product.refund.templateId }
          : { templateId: product.refund.templateId, customText: product.refund.customText },
    },
    process: {
      timeline: TIMELINES[product.process].map((node, index) => ({
        id: `node_${index + 1}`,
        ...node,
        duration: { ...node.duration },
      })),
    },
    requirements: {
      items: product.requirements.map((item) => ({
        id: `req_${item.key}`,
        category: item.category,
        text: item.text,
        required: item.required,
      })),
    },
    risk: {
      disclosure: risk.disclosure,
      afterSalesPolicy: risk.afterSales,
      confirmed: true,
    },
    credentials: { files: input.files.map((file) => ({ ...file })) },
  };
}

/** How far a draft got: only the first steps, everything but the papers, or all but the confirmation. */
export type DraftProgress = 'basic_only' | 'no_credentials' | 'unconfirmed';

/** A draft cut from a complete document; it fails validation in the way its progress says. */
export function draftOf(document: ListingDocument, progress: DraftProgress): DraftListingDocument {
  const copy = structuredClone(document);
  switch (progress) {
    case 'basic_only':
      return {
        schemaVersion: 1,
        provider: copy.provider,
        basic: copy.basic,
        highlights: { ...copy.highlights, successCases: [] },
      };
    case 'no_credentials': {
      const { confirmedAt: _dropped, ...risk } = copy.risk;
      return { ...copy, risk: { ...risk, confirmed: false }, credentials: { files: [] } };
    }
    case 'unconfirmed': {
      const { confirmedAt: _dropped, ...risk } = copy.risk;
      return { ...copy, risk: { ...risk, confirmed: false } };
    }
  }
}

/**
 * A quarterly price update (seed scenario 2: 老项目每季度调价): every package 5–12 % dearer, and
 * one package gets a few more seats.
 */
export function withPriceUpdate(document: ListingDocument, rng: Rng): ListingDocument {
  const copy = structuredClone(document);
  copy.packages.items = copy.packages.items.map((item, index) => ({
    ...item,
    price: scalePrice(item.price, 1 + randomBetween(rng, 0.05, 0.12)),
    seats: index === 0 ? item.seats + randomInt(rng, 2, 10) : item.seats,
  }));
  return copy;
}

/** A reworked service process: the second node takes longer and delivers more. */
export function withTimelineUpdate(document: ListingDocument): ListingDocument {
  const copy = structuredClone(document);
  const node = copy.process.timeline[1] ?? copy.process.timeline[0];
  if (node !== undefined) {
    node.duration = { ...node.duration, value: Math.min(999, node.duration.value + 1) };
    node.deliverable = `${node.deliverable}；每周进度报告`;
  }
  return copy;
}

const EXTRA_ADVANTAGES = [
  '每月一次家长进度说明会',
  '服务群工作日 9:00–22:00 在线答疑',
  '签约前免费背景评估一次',
  '往届学员经验分享会',
];

/** Polish between two live revisions: one more advantage, a more detailed success case. */
export function withPolish(document: ListingDocument, rng: Rng): ListingDocument {
  const copy = structuredClone(document);
  const advantages = copy.highlights.advantages;
  if (advantages.length < 6) {
    const fresh = EXTRA_ADVANTAGES.filter((advantage) => !advantages.includes(advantage));
    advantages.push(pick(rng, fresh.length > 0 ? fresh : EXTRA_ADVANTAGES));
    copy.highlights.advantages = [...new Set(advantages)];
  }
  const first = copy.highlights.successCases[0];
  if (first !== undefined && !first.highlight.includes('录取后')) {
    first.highlight = `${first.highlight}；录取后协助完成签证与住宿安排`;
  }
  return copy;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Rejections: what a reviewer found, anchored to fields

export interface FieldCommentPlanInput {
  /** JSON Pointer of the field (`/packages/items/1/price`). */
  readonly path: string;
  readonly reasonCode: ReviewReasonCode;
  readonly text: string;
}

/**
 * One problem a reviewer rejects a revision for. `flaw` turns a good document into the one that
 * was submitted (so the comment's field really shows the problem); the resubmission goes back to
 * the good document. Credential problems are in the papers, not the text: they have no flaw and
 * cannot be fixed without new papers.
 */
export interface RejectionScenario {
  readonly key: string;
  readonly fixable: boolean;
  applies(document: ListingDocument, provider: DemoInstitution): boolean;
  flaw(document: ListingDocument): ListingDocument;
  comments(flawed: ListingDocument, provider: DemoInstitution): FieldCommentPlanInput[];
}

const GUARANTEE = '<p>签约即<strong>保录取</strong>，不录取全额退款！</p>';

function priceText(price: Price): string {
  return price.kind === 'fixed'
    ? `${price.amount} ${price.currency}`
    : `${price.min}–${price.max} ${price.currency}`;
}

export const REJECTION_SCENARIOS: readonly RejectionScenario[] = [
  {
    key: 'guarantee_wording',
    fixable: true,
    applies: () => true,
    flaw(document) {
      const copy = structuredClone(document);
      copy.basic.introduction = `${copy.basic.introduction}${GUARANTEE}`;
      return copy;
    },
    comments: () => [
      {
        path: '/basic/introduction',
        reasonCode: 'other',
        text: '简介中“签约即保录取”属于承诺录取结果的宣传，违反平台《项目信息发布规范》，请删除；如有退款保障，请写在退费规则中。',
      },
    ],
  },
  {
    key: 'wide_price_range',
    fixable: true,
    applies: () => true,
    flaw(document) {
      const copy = structuredClone(document);
      const index = copy.packages.items.length > 1 ? 1 : 0;
      const item = copy.packages.items[index];
      if (item !== undefined) {
        const low = scalePrice(item.price, 0.6);
        const high = scalePrice(item.price, 2.4);
        item.price = {
          kind: 'range',
          currency: item.price.currency,
          min: low.kind === 'fixed' ? low.amount : low.min,
          max: high.kind === 'fixed' ? high.amount : high.max,
        };
      }
      return copy;
    },
    comments(flawed) {
      const index = flawed.packages.items.length > 1 ? 1 : 0;
      const item = flawed.packages.items[index];
      return [
        {
          path: `/packages/items/${index}/price`,
          reasonCode: 'unclear_description',
          text: `该套餐价格区间过宽（${item === undefined ? '' : priceText(item.price)}），学生无法判断实际费用。请说明不同价格对应的服务差异，或拆分为多个固定价格套餐。`,
        },
      ];
    },
  },
  {
    key: 'vague_acceptance',
    fixable: true,
    applies: () => true,
    flaw(document) {
      const copy = structuredClone(document);
      const last = copy.process.timeline[copy.process.timeline.length - 1];
      if (last !== undefined) {
        last.acceptanceCriteria = '学员满意即可';
      }
      return copy;
    },
    comments: (flawed) => [
      {
        path: `/process/timeline/${flawed.process.timeline.length - 1}/acceptanceCriteria`,
        reasonCode: 'unclear_description',
        text: '验收标准“学员满意即可”无法核验，请写明可检查的交付结果（如递交截图、确认邮件、成绩单）。',
      },
    ],
  },
  {
    key: 'case_without_evidence',
    fixable: true,
    applies: (document) => document.highlights.successCases.length < 20,
    flaw(document) {
      const copy = structuredClone(document);
      copy.highlights.successCases.push({
        id: `case_${copy.highlights.successCases.length + 1}`,
        year: 2025,
        studentBackground: '普通本科，GPA 2.8，暂无语言成绩',
        result: '同时录取哈佛大学、斯坦福大学等 8 所名校',
        highlight: '全程由机构包办，学生零参与',
      });
      return copy;
    },
    comments: (flawed) => [
      {
        path: `/highlights/successCases/${flawed.highlights.successCases.length - 1}`,
        reasonCode: 'missing_material',
        text: '该成功案例与学生背景差距过大，且缺少录取通知书（可打码）等佐证材料；“全程包办”也涉嫌代写。请补充证明或删除该案例。',
      },
    ],
  },
  {
    key: 'refund_unclear',
    fixable: true,
    applies: () => true,
    flaw(document) {
      const copy = structuredClone(document);
      copy.packages.refundPolicy = {
        templateId: 'custom_only',
        customText: '<p>服务开始后视情况退费，具体以顾问解释为准。</p>',
      };
      return copy;
    },
    comments: () => [
      {
        path: '/packages/refundPolicy/customText',
        reasonCode: 'unclear_description',
        text: '退费条款“视情况退费，以顾问解释为准”含义不明。请写明各阶段的退费比例和办理时限，或选用平台标准退费模板。',
      },
    ],
  },
  {
    key: 'missing_language_requirement',
    fixable: true,
    applies: (document) =>
      document.requirements.items.some((item) => item.category === 'language') &&
      document.requirements.items.some((item) => item.category !== 'language'),
    flaw(document) {
      const copy = structuredClone(document);
      copy.requirements.items = copy.requirements.items.filter(
        (item) => item.category !== 'language',
      );
      return copy;
    },
    comments: () => [
      {
        path: '/requirements/items',
        reasonCode: 'missing_material',
        text: '所需资料未写明语言成绩要求（雅思/托福或同等成绩），学生无法判断是否符合报名条件，请补充。',
      },
    ],
  },
  {
    key: 'licence_expired',
    fixable: false,
    applies: (_document, provider) =>
      provider.licence?.scenario === 'valid_code_expired_term' ||
      provider.licence?.scenario === 'invalid_code_expired_term',
    flaw: (document) => document,
    comments: (_flawed, provider) => [
      {
        path: '/credentials/files/0/validUntil',
        reasonCode: 'credential_problem',
        text: `营业执照显示营业期限至 ${provider.licence?.validUntil ?? '—'}，已经过期，表单中填写的“长期”与执照不符。请上传换发后的营业执照并更正有效期。`,
      },
    ],
  },
  {
    key: 'credit_code_invalid',
    fixable: false,
    applies: (_document, provider) => provider.kind === 'institution' && !provider.creditCodeValid,
    flaw: (document) => document,
    comments: (_flawed, provider) => [
      {
        path: '/credentials/files/0',
        reasonCode: 'credential_problem',
        text: `营业执照上的统一社会信用代码 ${provider.creditCode ?? ''} 校验位不正确（GB 32100-2015），在国家企业信用信息公示系统中查询不到。请上传清晰的营业执照原件扫描件。`,
      },
    ],
  },
];

export function rejectionScenario(key: string): RejectionScenario {
  return must(
    REJECTION_SCENARIOS.find((scenario) => scenario.key === key),
    `rejection scenario ${key}`,
  );
}

const APPROVE_NOTES = [
  '材料齐全，价格与服务内容对应清晰，准予上线。',
  '营业执照与公示系统信息一致，导师资料已核验，准予上线。',
  '已核对成功案例与退费规则，通过。',
  '服务流程与交付物描述清楚，通过。',
];
const UPDATE_APPROVE_NOTE = '本次更新涉及价格与服务流程调整，已与上线版本逐项核对，通过。';
const TAKEDOWN_REASONS = {
  reviewer: '收到学员投诉：宣传的导师未实际参与服务，先行下线核查。',
  ops: '机构营业执照即将到期且未提交新证，按平台规则强制下架。',
  owner: '本季招生名额已满，暂时下线，下一申请季再开放。',
} as const;

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Listing stories: revisions, review items, claims, decisions, comments and audit events

/**
 * What happened to a listing, ending in its present state. Every story is a sequence of the
 * transitions the lifecycle allows (draft → pending → in_review → live/rejected, updates of live
 * listings, withdrawals, takedowns, relisting), so the rows it produces are consistent.
 */
export const LISTING_STORIES = [
  'draft',
  'draft_assisted',
  'pending',
  'pending_after_release',
  'in_review',
  'in_review_assigned',
  'rejected',
  'resubmitted_pending',
  'resubmitted_in_review',
  'live',
  'rejected_then_live',
  'live_update_pending',
  'live_update_in_review',
  'live_update_rejected',
  'offline_takedown',
  'offline_by_submitter',
  'relisting_pending',
  'withdrawn',
] as const;
export type ListingStory = (typeof LISTING_STORIES)[number];

export type RevisionState =
  'draft' | 'pending' | 'in_review' | 'rejected' | 'live' | 'offline' | 'superseded' | 'withdrawn';
export type ReviewItemState = 'pending' | 'in_review' | 'decided' | 'withdrawn' | 'cancelled';

/** Times in plans are epoch milliseconds. */
export interface PlannedRevision {
  readonly id: string;
  readonly number: number;
  state: RevisionState;
  document: ListingDocument | DraftListingDocument;
  readonly createdBy: string;
  createdAt: number;
  updatedAt: number;
  submittedAt: number | null;
  decidedAt: number | null;
}

export interface PlannedReviewItem {
  readonly id: string;
  readonly kind: 'listing_revision' | 'homework' | 'homework_mentor' | 'refund';
  readonly subjectId: string;
  readonly revisionId: string | null;
  state: ReviewItemState;
  readonly priority: number;
  dueAt: number | null;
  assigneeId: string | null;
  readonly supersedesItemId: string | null;
  readonly title: string;
  createdAt: number;
  updatedAt: number;
}

export interface PlannedClaim {
  readonly id: string;
  readonly itemId: string;
  readonly reviewerId: string;
  claimedAt: number;
  expiresAt: number;
  releasedAt: number | null;
  releaseReason: string | null;
  readonly assignedBy: string | null;
}

export interface PlannedDecision {
  readonly id: string;
  readonly itemId: string;
  readonly revisionId: string | null;
  readonly kind: PlannedReviewItem['kind'];
  readonly outcome: string;
  readonly reviewerId: string;
  readonly reasons: readonly string[];
  readonly note: string;
  readonly details: Readonly<Record<string, unknown>>;
  decidedAt: number;
}

export interface PlannedFieldComment {
  readonly id: string;
  readonly itemId: string;
  readonly revisionId: string;
  readonly decisionId: string;
  readonly authorId: string;
  readonly path: string;
  readonly reasonCode: ReviewReasonCode;
  readonly text: string;
  createdAt: number;
}

export interface PlannedAuditEvent {
  readonly id: string;
  at: number;
  readonly actorId: string | null;
  readonly subjectType: 'listing' | 'homework' | 'refund';
  readonly subjectId: string;
  readonly itemId: string | null;
  readonly action: string;
  readonly fromState: string | null;
  readonly toState: string | null;
  readonly reason: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

/** A credential file of a listing: the row's id is the document entry's id. */
export interface PlannedCredentialFile {
  readonly id: string;
  readonly source: DemoLicenceFile | DemoCertificateFile;
  readonly fileName: string;
  readonly uploadedBy: string;
  createdAt: number;
}

export interface ListingPlan {
  readonly id: string;
  readonly institutionId: string;
  readonly ownerId: string;
  readonly state: ListingState;
  readonly currentRevisionId: string;
  readonly liveRevisionId: string | null;
  readonly name: string;
  readonly country: string | null;
  readonly offlineReason: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly revisions: readonly PlannedRevision[];
  readonly items: readonly PlannedReviewItem[];
  readonly claims: readonly PlannedClaim[];
  readonly decisions: readonly PlannedDecision[];
  readonly comments: readonly PlannedFieldComment[];
  readonly audit: readonly PlannedAuditEvent[];
  readonly files: readonly PlannedCredentialFile[];
}

/** The people a listing story needs. */
export interface StoryPeople {
  readonly ownerId: string;
  readonly reviewerIds: readonly [string, string];
  readonly opsId: string;
  readonly assistantId: string;
}

export interface ListingPlanInput {
  readonly story: ListingStory;
  readonly provider: DemoInstitution;
  readonly institutionId: string;
  readonly product: ProductTemplate;
  readonly people: StoryPeople;
  /** Verified mentor profile ids of the provider (referenced by the document). */
  readonly mentorIds: readonly string[];
  /** Papers to attach, the required licence or certificate first; may be empty for drafts. */
  readonly papers: readonly (DemoLicenceFile | DemoCertificateFile)[];
  /** Keys of {@link REJECTION_SCENARIOS}; by default one or two fixable ones are drawn. */
  readonly rejections?: readonly string[] | undefined;
  readonly draftProgress?: DraftProgress | undefined;
  readonly nameSuffix?: string | undefined;
  readonly priceFactor?: number | undefined;
  readonly now: number;
  readonly leaseMs: number;
  readonly rng: Rng;
  readonly newId: () => string;
}

/** A review item is due this long after it was submitted (the demo's review SLA). */
export const REVIEW_DUE_MS = 48 * HOUR_MS;

/** `2026-11-20T09:30:00+08:00`: how the workstation writes confirmation times. */
export function isoShanghai(epochMs: number): string {
  const shifted = new Date(epochMs + 8 * HOUR_MS).toISOString();
  return `${shifted.slice(0, 19)}+08:00`;
}

function documentName(document: ListingDocument | DraftListingDocument): string {
  return document.basic.name;
}

function isComplete(document: ListingDocument | DraftListingDocument): document is ListingDocument {
  return (
    document.packages !== undefined &&
    document.credentials !== undefined &&
    document.risk?.confirmed === true
  );
}

function paperEntry(
  id: string,
  paper: DemoLicenceFile | DemoCertificateFile,
  provider: DemoInstitution,
): { entry: CredentialFile; fileName: string } {
  const extension = paper.mimeType === 'application/pdf' ? 'pdf' : 'jpg';
  if (paper.kind === 'business_licence') {
    const fileName = `营业执照_${provider.name}.${extension}`;
    const kind: CredentialKind = 'business_licence';
    return {
      fileName,
      entry: {
        id,
        kind,
        fileName,
        mimeType: paper.mimeType === 'application/pdf' ? 'application/pdf' : 'image/jpeg',
        sizeBytes: paper.sizeBytes,
        sha256: paper.sha256,
        validFrom: paper.validFrom,
        // What the submitter typed; see DemoInstitution.declaredValidUntil.
        validUntil: provider.declaredValidUntil,
      },
    };
  }
  const fileName = `导师证明_${paper.holderName}.${extension}`;
  return {
    fileName,
    entry: {
      id,
      kind: 'mentor_certificate',
      fileName,
      mimeType: 'image/jpeg',
      sizeBytes: paper.sizeBytes,
      sha256: paper.sha256,
      validFrom: paper.issuedOn,
      validUntil: paper.validUntil,
    },
  };
}

class StoryBuilder {
  private t = 0;
  private ageRange: readonly [number, number] = [HOUR_MS, DAY_MS];
  private state: ListingState = 'draft';
  private liveRevisionId: string | null = null;
  private offlineReason: string | null = null;
  readonly revisions: PlannedRevision[] = [];
  readonly items: PlannedReviewItem[] = [];
  readonly claims: PlannedClaim[] = [];
  readonly decisions: PlannedDecision[] = [];
  readonly comments: PlannedFieldComment[] = [];
  readonly audit: PlannedAuditEvent[] = [];
  private readonly rejectedItems = new Set<string>();

  constructor(
    private readonly input: ListingPlanInput,
    readonly listingId: string,
  ) {}

  get rng(): Rng {
    return this.input.rng;
  }

  private get owner(): string {
    return this.input.people.ownerId;
  }

  /** A reviewer of the pair; `other` picks the one who did not do `than`. */
  reviewer(than?: string): string {
    const [first, second] = this.input.people.reviewerIds;
    if (than !== undefined) {
      return than === first ? second : first;
    }
    return chance(this.rng, 0.5) ? first : second;
  }

  wait(minHours: number, maxHours: number): void {
    this.t += Math.round(randomBetween(this.rng, minHours, maxHours) * HOUR_MS);
  }

  /** How long before `now` the last event of the story happened. */
  age(minHours: number, maxHours: number): void {
    this.ageRange = [minHours * HOUR_MS, maxHours * HOUR_MS];
  }

  private record(
    action: string,
    actorId: string | null,
    from: ListingState,
    to: ListingState,
    itemId: string | null,
    extra: { reason?: string; details?: Record<string, unknown> } = {},
  ): void {
    this.audit.push({
      id: this.input.newId(),
      at: this.t,
      actorId,
      subjectType: 'listing',
      subjectId: this.listingId,
      itemId,
      action,
      fromState: from,
      toState: to,
      reason: extra.reason ?? null,
      details: extra.details ?? {},
    });
  }

  private revisionOf(item: PlannedReviewItem): PlannedRevision {
    return must(
      this.revisions.find((revision) => revision.id === item.revisionId),
      `revision of item ${item.id}`,
    );
  }

  /** A new revision being edited; `audit` names the event recorded for it, if any. */
  draft(
    document: ListingDocument | DraftListingDocument,
    options: { by?: string; audit?: 'create' | 'start_update' | null } = {},
  ): PlannedRevision {
    const revision: PlannedRevision = {
      id: this.input.newId(),
      number: this.revisions.length + 1,
      state: 'draft',
      document,
      createdBy: options.by ?? this.owner,
      createdAt: this.t,
      updatedAt: this.t,
      submittedAt: null,
      decidedAt: null,
    };
    this.revisions.push(revision);
    const audit = options.audit === undefined ? 'create' : options.audit;
    if (audit !== null) {
      this.record(audit, revision.createdBy, this.state, this.state, null, {
        details: { revisionId: revision.id, revisionNumber: revision.number },
      });
    }
    return revision;
  }

  /** The draft was saved again (its content may have changed). */
  touch(revision: PlannedRevision, document?: ListingDocument | DraftListingDocument): void {
    if (document !== undefined) {
      revision.document = document;
    }
    revision.updatedAt = this.t;
  }

  submit(revision: PlannedRevision, priority = 0): PlannedReviewItem {
    const from = this.state;
    const to: ListingState = from === 'live' ? 'live' : 'pending';
    revision.state = 'pending';
    revision.submittedAt = this.t;
    revision.updatedAt = this.t;
    // A resubmission after a rejection supersedes the rejected item.
    const superseded = [...this.items].reverse().find((item) => this.rejectedItems.has(item.id));
    if (superseded !== undefined) {
      this.rejectedItems.delete(superseded.id);
    }
    const item: PlannedReviewItem = {
      id: this.input.newId(),
      kind: 'listing_revision',
      subjectId: this.listingId,
      revisionId: revision.id,
      state: 'pending',
      priority,
      dueAt: this.t + REVIEW_DUE_MS,
      assigneeId: null,
      supersedesItemId: superseded?.id ?? null,
      title: documentName(revision.document),
      createdAt: this.t,
      updatedAt: this.t,
    };
    this.items.push(item);
    this.state = to;
    if (from === 'offline') {
      // Relisting: the takedown stays in the audit trail; the listing is no longer offline.
      this.offlineReason = null;
    }
    this.record(
      from === 'offline' ? 'request_relisting' : 'submit',
      this.owner,
      from,
      to,
      item.id,
      {
        details: { revisionId: revision.id, revisionNumber: revision.number },
      },
    );
    return item;
  }

  claim(item: PlannedReviewItem, reviewerId: string, assignedBy: string | null = null): void {
    this.claims.push({
      id: this.input.newId(),
      itemId: item.id,
      reviewerId,
      claimedAt: this.t,
      expiresAt: this.t + this.input.leaseMs,
      releasedAt: null,
      releaseReason: null,
      assignedBy,
    });
    item.state = 'in_review';
    item.assigneeId = reviewerId;
    item.updatedAt = this.t;
    const revision = this.revisionOf(item);
    revision.state = 'in_review';
    revision.updatedAt = this.t;
    const from = this.state;
    const to: ListingState = from === 'pending' ? 'in_review' : from;
    this.state = to;
    this.record(
      assignedBy === null ? 'claim' : 'assign',
      assignedBy ?? reviewerId,
      from,
      to,
      item.id,
      {
        details: { reviewerId, leaseExpiresAt: isoShanghai(this.t + this.input.leaseMs) },
      },
    );
  }

  private activeClaim(item: PlannedReviewItem): PlannedClaim {
    return must(
      this.claims.find((claim) => claim.itemId === item.id && claim.releasedAt === null),
      `active claim of item ${item.id}`,
    );
  }

  /** The reviewer put the item back, or its lease ran out. */
  release(item: PlannedReviewItem, reason: 'released' | 'lease_expired'): void {
    const claim = this.activeClaim(item);
    if (reason === 'lease_expired') {
      this.t = Math.max(this.t, claim.expiresAt);
    }
    claim.releasedAt = this.t;
    claim.releaseReason = reason;
    item.state = 'pending';
    item.assigneeId = null;
    item.updatedAt = this.t;
    const revision = this.revisionOf(item);
    revision.state = 'pending';
    revision.updatedAt = this.t;
    const from = this.state;
    const to: ListingState = from === 'in_review' ? 'pending' : from;
    this.state = to;
    this.record('release', reason === 'released' ? claim.reviewerId : null, from, to, item.id, {
      reason,
    });
  }

  private decide(item: PlannedReviewItem): { reviewerId: string; revision: PlannedRevision } {
    const claim = this.activeClaim(item);
    claim.releasedAt = this.t;
    claim.releaseReason = 'decided';
    item.state = 'decided';
    item.updatedAt = this.t;
    const revision = this.revisionOf(item);
    revision.decidedAt = this.t;
    revision.updatedAt = this.t;
    return { reviewerId: claim.reviewerId, revision };
  }

  approve(item: PlannedReviewItem, note?: string): void {
    const { reviewerId, revision } = this.decide(item);
    const previous = this.revisions.find((candidate) => candidate.id === this.liveRevisionId);
    if (previous !== undefined) {
      previous.state = 'superseded';
      previous.updatedAt = this.t;
    }
    revision.state = 'live';
    const decision: PlannedDecision = {
      id: this.input.newId(),
      itemId: item.id,
      revisionId: revision.id,
      kind: 'listing_revision',
      outcome: 'approve',
      reviewerId,
      reasons: [],
      note: note ?? (previous === undefined ? pick(this.rng, APPROVE_NOTES) : UPDATE_APPROVE_NOTE),
      details: {},
      decidedAt: this.t,
    };
    this.decisions.push(decision);
    const from = this.state;
    this.state = 'live';
    this.liveRevisionId = revision.id;
    this.record('approve', reviewerId, from, 'live', item.id, {
      details: { revisionId: revision.id, decisionId: decision.id },
    });
  }

  reject(item: PlannedReviewItem, scenarios: readonly RejectionScenario[]): void {
    const { reviewerId, revision } = this.decide(item);
    revision.state = 'rejected';
    const document = revision.document;
    if (!isComplete(document)) {
      throw new Error('demo content: only submitted documents are rejected');
    }
    const found = scenarios.flatMap((scenario) => scenario.comments(document, this.input.provider));
    const reasons = [...new Set(found.map((comment) => comment.reasonCode))];
    const credentialIssue = reasons.includes('credential_problem');
    const decision: PlannedDecision = {
      id: this.input.newId(),
      itemId: item.id,
      revisionId: revision.id,
      kind: 'listing_revision',
      outcome: 'reject',
      reviewerId,
      reasons,
      note: `共 ${found.length} 条字段意见，请逐条修改后重新提交。${credentialIssue ? '资质问题需更换或补充材料后才能再次审核。' : ''}`,
      details: {},
      decidedAt: this.t,
    };
    this.decisions.push(decision);
    found.forEach((comment, index) => {
      this.comments.push({
        id: this.input.newId(),
        itemId: item.id,
        revisionId: revision.id,
        decisionId: decision.id,
        authorId: reviewerId,
        path: comment.path,
        reasonCode: comment.reasonCode,
        text: comment.text,
        // Written while reviewing, a few minutes apart, before the decision.
        createdAt: this.t - (found.length - index) * 3 * MINUTE_MS,
      });
    });
    this.rejectedItems.add(item.id);
    const from = this.state;
    const to: ListingState = from === 'live' ? 'live' : 'rejected';
    this.state = to;
    this.record('reject', reviewerId, from, to, item.id, {
      reason: reasons.join(','),
      details: { revisionId: revision.id, decisionId: decision.id, comments: found.length },
    });
  }

  withdraw(item: PlannedReviewItem): void {
    item.state = 'withdrawn';
    item.updatedAt = this.t;
    const revision = this.revisionOf(item);
    revision.state = 'withdrawn';
    revision.updatedAt = this.t;
    const from = this.state;
    const to: ListingState = from === 'live' ? 'live' : 'draft';
    this.state = to;
    this.record('withdraw', this.owner, from, to, item.id, {
      details: { revisionId: revision.id },
    });
  }

  takedown(actorId: string, reason: string, action: 'takedown' | 'force_takedown'): void {
    const live = this.revisions.find((revision) => revision.id === this.liveRevisionId);
    if (live !== undefined) {
      live.state = 'offline';
      live.updatedAt = this.t;
    }
    // The market shows nothing now; the revision that was live keeps the state `offline`.
    this.liveRevisionId = null;
    this.offlineReason = reason;
    const from = this.state;
    this.state = 'offline';
    this.record(action, actorId, from, 'offline', null, {
      reason,
      details: { revisionId: live?.id ?? null },
    });
  }

  finish(files: readonly PlannedCredentialFile[]): ListingPlan {
    const { now, rng } = this.input;
    const end = now - Math.round(randomBetween(rng, this.ageRange[0], this.ageRange[1]));
    const offset = end - this.t;
    const shift = (value: number) => value + offset;
    const shiftOrNull = (value: number | null) => (value === null ? null : value + offset);
    for (const revision of this.revisions) {
      revision.createdAt = shift(revision.createdAt);
      revision.updatedAt = shift(revision.updatedAt);
      revision.submittedAt = shiftOrNull(revision.submittedAt);
      revision.decidedAt = shiftOrNull(revision.decidedAt);
      const submittedAt = revision.submittedAt;
      if (submittedAt !== null && isComplete(revision.document)) {
        // Confirmed on the last screen, minutes before submitting.
        revision.document = {
          ...revision.document,
          risk: {
            ...revision.document.risk,
            confirmedAt: isoShanghai(submittedAt - randomInt(rng, 2, 25) * MINUTE_MS),
          },
        };
      }
    }
    for (const item of this.items) {
      item.createdAt = shift(item.createdAt);
      item.updatedAt = shift(item.updatedAt);
      item.dueAt = shiftOrNull(item.dueAt);
    }
    for (const claim of this.claims) {
      claim.claimedAt = shift(claim.claimedAt);
      claim.expiresAt = shift(claim.expiresAt);
      claim.releasedAt = shiftOrNull(claim.releasedAt);
    }
    for (const decision of this.decisions) {
      decision.decidedAt = shift(decision.decidedAt);
    }
    for (const comment of this.comments) {
      comment.createdAt = shift(comment.createdAt);
    }
    for (const event of this.audit) {
      event.at = shift(event.at);
    }
    const first = must(this.revisions[0], 'first revision');
    const current = must(this.revisions[this.revisions.length - 1], 'current revision');
    const referenced = new Set(
      this.revisions.flatMap((revision) =>
        (revision.document.credentials?.files ?? []).map((file) => file.id),
      ),
    );
    const usedFiles = files
      .filter((file) => referenced.has(file.id))
      .map((file) => ({
        ...file,
        // Uploaded while the first revision was being prepared, by whoever prepared it.
        uploadedBy: first.createdBy,
        createdAt: first.createdAt + randomInt(rng, 5, 90) * MINUTE_MS,
      }));
    return {
      id: this.listingId,
      institutionId: this.input.institutionId,
      ownerId: this.owner,
      state: this.state,
      currentRevisionId: current.id,
      liveRevisionId: this.liveRevisionId,
      name: documentName(current.document),
      country: current.document.basic.country,
      offlineReason: this.offlineReason,
      createdAt: first.createdAt,
      updatedAt: end,
      revisions: this.revisions,
      items: this.items,
      claims: this.claims,
      decisions: this.decisions,
      comments: this.comments,
      audit: this.audit,
      files: usedFiles,
    };
  }
}

function drawRejections(
  rng: Rng,
  document: ListingDocument,
  provider: DemoInstitution,
): RejectionScenario[] {
  const candidates = REJECTION_SCENARIOS.filter(
    (scenario) => scenario.fixable && scenario.applies(document, provider),
  );
  return shuffled(rng, candidates).slice(0, chance(rng, 0.4) ? 2 : 1);
}

/**
 * Plans one listing: its story played through with the builder above, all times placed so that
 * the last event lies a plausible while before `now` (a pending item hours ago, an active claim
 * well inside its lease, a live listing days ago).
 */
export function planListing(input: ListingPlanInput): ListingPlan {
  const { rng, newId, provider, story } = input;
  const listingId = newId();
  const planned: PlannedCredentialFile[] = [];
  const entries: CredentialFile[] = [];
  for (const paper of input.papers) {
    const id = newId();
    const { entry, fileName } = paperEntry(id, paper, provider);
    entries.push(entry);
    planned.push({ id, source: paper, fileName, uploadedBy: input.people.ownerId, createdAt: 0 });
  }
  const good = buildListingDocument({
    product: input.product,
    provider: {
      kind: provider.kind,
      id: input.institutionId,
      name: provider.name,
    },
    mentorIds: input.mentorIds,
    files: entries,
    ...(input.nameSuffix === undefined ? {} : { nameSuffix: input.nameSuffix }),
    ...(input.priceFactor === undefined ? {} : { priceFactor: input.priceFactor }),
  });
  const scenarios =
    input.rejections === undefined
      ? drawRejections(rng, good, provider)
      : input.rejections.map(rejectionScenario);
  const flawed = scenarios.reduce((document, scenario) => scenario.flaw(document), good);
  const s = new StoryBuilder(input, listingId);
  const people = input.people;
  const urgent = chance(rng, 0.08) ? 2 : 0;

  /** Created, edited for a while, submitted, claimed, approved: a first live revision. */
  const goLive = (document: ListingDocument) => {
    const revision = s.draft(document);
    s.wait(6, 72);
    s.touch(revision);
    const item = s.submit(revision);
    s.wait(1, 30);
    s.claim(item, s.reviewer());
    s.wait(0.2, 2);
    s.approve(item);
    return revision;
  };
  /** Submitted and rejected; returns the reviewer who rejected it. */
  const getRejected = (document: ListingDocument) => {
    const revision = s.draft(document);
    s.wait(6, 72);
    s.touch(revision);
    const item = s.submit(revision);
    s.wait(1, 30);
    const reviewerId = s.reviewer();
    s.claim(item, reviewerId);
    s.wait(0.3, 2.5);
    s.reject(item, scenarios);
    return reviewerId;
  };
  const inReviewAge = () => {
    // The active claim of an in-review item is well inside its lease.
    s.age(0.1, Math.min(3.5, (input.leaseMs / HOUR_MS) * 0.85));
  };

  switch (story) {
    case 'draft':
    case 'draft_assisted': {
      const progress =
        input.draftProgress ?? pick(rng, ['basic_only', 'no_credentials', 'unconfirmed'] as const);
      const by = story === 'draft_assisted' ? people.assistantId : people.ownerId;
      const revision = s.draft(draftOf(good, progress), { by });
      s.wait(0.5, 72);
      s.touch(revision);
      s.age(1, 24 * 20);
      break;
    }
    case 'pending': {
      const revision = s.draft(good);
      s.wait(6, 96);
      s.touch(revision);
      s.submit(revision, urgent);
      s.age(0.5, 60);
      break;
    }
    case 'pending_after_release': {
      const revision = s.draft(good);
      s.wait(6, 72);
      const item = s.submit(revision);
      s.wait(1, 20);
      s.claim(item, s.reviewer());
      s.wait(0.3, 1.5);
      s.release(item, 'released');
      s.age(0.5, 30);
      break;
    }
    case 'in_review': {
      const revision = s.draft(good);
      s.wait(6, 72);
      const item = s.submit(revision, urgent);
      s.wait(1, 30);
      s.claim(item, s.reviewer());
      inReviewAge();
      break;
    }
    case 'in_review_assigned': {
      const revision = s.draft(good);
      s.wait(6, 72);
      const item = s.submit(revision, 1);
      s.wait(1, 20);
      const first = s.reviewer();
      s.claim(item, first);
      s.release(item, 'lease_expired');
      s.wait(0.5, 6);
      s.claim(item, s.reviewer(first), people.opsId);
      inReviewAge();
      break;
    }
    case 'rejected': {
      getRejected(flawed);
      s.age(1, 24 * 6);
      break;
    }
    case 'resubmitted_pending':
    case 'resubmitted_in_review': {
      const rejectedBy = getRejected(flawed);
      s.wait(4, 72);
      const fixed = s.draft(good, { audit: null });
      s.wait(0.5, 10);
      const item = s.submit(fixed, 1);
      if (story === 'resubmitted_in_review') {
        s.wait(0.5, 20);
        s.claim(item, s.reviewer(rejectedBy));
        inReviewAge();
      } else {
        s.age(0.5, 40);
      }
      break;
    }
    case 'live': {
      goLive(good);
      s.age(24, 24 * 25);
      break;
    }
    case 'rejected_then_live': {
      getRejected(flawed);
      s.wait(4, 48);
      const fixed = s.draft(good, { audit: null });
      s.wait(0.5, 8);
      const item = s.submit(fixed, 1);
      s.wait(1, 20);
      s.claim(item, s.reviewer());
      s.wait(0.2, 1.5);
      s.approve(item);
      s.age(24, 24 * 15);
      break;
    }
    case 'live_update_pending': {
      // Revision 3 changes prices and a timeline node against the live revision 2.
      goLive(good);
      s.wait(48, 120);
      const polished = withPolish(good, rng);
      const second = s.draft(polished, { audit: 'start_update' });
      s.wait(2, 24);
      const item = s.submit(second);
      s.wait(1, 20);
      s.claim(item, s.reviewer());
      s.wait(0.2, 1.5);
      s.approve(item);
      s.wait(48, 120);
      const third = s.draft(withTimelineUpdate(withPriceUpdate(polished, rng)), {
        audit: 'start_update',
      });
      s.wait(2, 24);
      s.submit(third);
      s.age(0.5, 40);
      break;
    }
    case 'live_update_in_review': {
      goLive(good);
      s.wait(48, 240);
      const update = s.draft(withPriceUpdate(good, rng), { audit: 'start_update' });
      s.wait(2, 24);
      const item = s.submit(update);
      s.wait(1, 20);
      s.claim(item, s.reviewer());
      inReviewAge();
      break;
    }
    case 'live_update_rejected': {
      goLive(good);
      s.wait(48, 240);
      const wide = rejectionScenario('wide_price_range');
      const update = s.draft(wide.flaw(withPriceUpdate(good, rng)), { audit: 'start_update' });
      s.wait(2, 24);
      const item = s.submit(update);
      s.wait(1, 20);
      s.claim(item, s.reviewer());
      s.wait(0.3, 2);
      s.reject(item, [wide]);
      s.age(1, 24 * 5);
      break;
    }
    case 'offline_takedown': {
      goLive(good);
      s.wait(72, 240);
      if (chance(rng, 0.5)) {
        s.takedown(people.opsId, TAKEDOWN_REASONS.ops, 'force_takedown');
      } else {
        s.takedown(s.reviewer(), TAKEDOWN_REASONS.reviewer, 'takedown');
      }
      s.age(24, 24 * 8);
      break;
    }
    case 'offline_by_submitter': {
      goLive(good);
      s.wait(72, 240);
      s.takedown(people.ownerId, TAKEDOWN_REASONS.owner, 'takedown');
      s.age(24, 24 * 8);
      break;
    }
    case 'relisting_pending': {
      goLive(good);
      s.wait(72, 200);
      s.takedown(s.reviewer(), TAKEDOWN_REASONS.reviewer, 'takedown');
      s.wait(24, 72);
      const again = s.draft(withPolish(good, rng), { audit: null });
      s.wait(1, 12);
      s.submit(again, 1);
      s.age(0.5, 40);
      break;
    }
    case 'withdrawn': {
      const revision = s.draft(good);
      s.wait(6, 48);
      const item = s.submit(revision);
      s.wait(2, 20);
      s.withdraw(item);
      s.wait(1, 24);
      const next = s.draft(draftOf(withPriceUpdate(good, rng), 'unconfirmed'), { audit: null });
      s.wait(0.5, 12);
      s.touch(next);
      s.age(2, 24 * 5);
      break;
    }
  }
  return s.finish(planned);
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Which listings the demo has

export interface ListingSpec {
  readonly providerKey: string;
  readonly productKey: string;
  readonly story: ListingStory;
  readonly rejections?: readonly string[];
  readonly draftProgress?: DraftProgress;
  readonly nameSuffix?: string;
  readonly priceFactor?: number;
}

/**
 * The hand-picked first listings: every state and every interesting history, on the providers
 * whose papers make the story (an expired licence is rejected for it, an invalid credit code sits
 * in the queue for a reviewer with OCR to catch).
 */
const CURATED_LISTINGS: readonly ListingSpec[] = [
  { providerKey: 'qmxt', productKey: 'uk_master_flagship', story: 'live_update_pending' },
  { providerKey: 'qmxt', productKey: 'us_master_stem', story: 'in_review' },
  {
    providerKey: 'qmxt',
    productKey: 'hk_master',
    story: 'resubmitted_pending',
    rejections: ['guarantee_wording', 'wide_price_range'],
  },
  {
    providerKey: 'qmxt',
    productKey: 'uk_summer_exchange',
    story: 'draft',
    draftProgress: 'no_credentials',
  },
  { providerKey: 'tutor-li', productKey: 'de_a1', story: 'live_update_in_review' },
  { providerKey: 'tutor-chen', productKey: 'us_undergrad_essay', story: 'live' },
  { providerKey: 'zhiyuan', productKey: 'jp_language_school', story: 'pending' },
  {
    providerKey: 'boya',
    productKey: 'uk_undergrad_ucas',
    story: 'rejected',
    rejections: ['licence_expired'],
  },
  { providerKey: 'qinghe', productKey: 'kr_master', story: 'in_review_assigned' },
  { providerKey: 'jincheng', productKey: 'ie_master', story: 'pending' },
  { providerKey: 'yuanfan', productKey: 'au_master', story: 'live_update_rejected' },
  {
    providerKey: 'jinling',
    productKey: 'us_phd',
    story: 'rejected_then_live',
    rejections: ['case_without_evidence'],
  },
  { providerKey: 'donghu', productKey: 'fr_master', story: 'offline_takedown' },
  { providerKey: 'yuanfan', productKey: 'sg_undergrad', story: 'withdrawn' },
  { providerKey: 'lianghang', productKey: 'uk_undergrad_ucas', story: 'relisting_pending' },
  { providerKey: 'zhiyuan', productKey: 'ielts_sprint', story: 'offline_by_submitter' },
  {
    providerKey: 'tutor-chen',
    productKey: 'us_master_essay',
    story: 'resubmitted_in_review',
    rejections: ['vague_acceptance'],
  },
  { providerKey: 'tutor-wang', productKey: 'jp_n2', story: 'draft', draftProgress: 'basic_only' },
  {
    providerKey: 'qinghe',
    productKey: 'jp_language_school',
    story: 'rejected',
    rejections: ['credit_code_invalid'],
  },
  { providerKey: 'jinling', productKey: 'nl_master', story: 'pending_after_release' },
  { providerKey: 'haizhiyun', productKey: 'jp_master', story: 'in_review' },
  { providerKey: 'shancheng', productKey: 'ca_undergrad', story: 'live' },
  { providerKey: 'boxue', productKey: 'toefl_camp', story: 'live' },
  {
    providerKey: 'donghu',
    productKey: 'de_master',
    story: 'rejected',
    rejections: ['refund_unclear', 'missing_language_requirement'],
  },
  { providerKey: 'boya', productKey: 'hk_master', story: 'pending' },
  {
    providerKey: 'yuanfan',
    productKey: 'ca_undergrad',
    story: 'draft_assisted',
    draftProgress: 'unconfirmed',
  },
  { providerKey: 'zhiyuan', productKey: 'toefl_camp', story: 'live' },
  { providerKey: 'lianghang', productKey: 'us_undergrad_essay', story: 'live' },
  { providerKey: 'haizhiyun', productKey: 'kr_master', story: 'live' },
  { providerKey: 'boxue', productKey: 'ielts_sprint', story: 'pending' },
  {
    providerKey: 'shancheng',
    productKey: 'au_master',
    story: 'rejected_then_live',
    rejections: ['wide_price_range'],
  },
  { providerKey: 'tutor-li', productKey: 'de_master', story: 'in_review' },
];

/** How often each story occurs among the generated listings after the curated ones. */
const STORY_WEIGHTS: Readonly<Record<ListingStory, number>> = {
  draft: 11,
  draft_assisted: 1,
  pending: 14,
  pending_after_release: 1,
  in_review: 6,
  in_review_assigned: 1,
  rejected: 8,
  resubmitted_pending: 5,
  resubmitted_in_review: 1,
  live: 34,
  rejected_then_live: 4,
  live_update_pending: 4,
  live_update_in_review: 3,
  live_update_rejected: 1,
  offline_takedown: 3,
  offline_by_submitter: 2,
  relisting_pending: 1,
  withdrawn: 3,
};

const NAME_SUFFIXES = [
  '·2027秋季',
  '·周末班',
  '·精品版',
  '（线上）',
  '·寒假班',
  '（VIP）',
  '·春季',
];

/**
 * The listings of a demo with `count` of them: the curated ones first (cut short when `count` is
 * smaller), then generated variants of the products of providers in good standing.
 */
export function listingCatalogue(count: number, rng: Rng): ListingSpec[] {
  const specs = CURATED_LISTINGS.slice(0, count);
  const providers = DEMO_INSTITUTIONS.filter(isInGoodStanding);
  const used = new Map<string, number>();
  for (const spec of specs) {
    const key = `${spec.providerKey}/${spec.productKey}`;
    used.set(key, (used.get(key) ?? 0) + 1);
  }
  while (specs.length < count) {
    const provider = pick(rng, providers);
    const productKey = pick(rng, provider.products);
    const key = `${provider.key}/${productKey}`;
    const n = used.get(key) ?? 0;
    used.set(key, n + 1);
    specs.push({
      providerKey: provider.key,
      productKey,
      story: weighted(rng, STORY_WEIGHTS),
      ...(n === 0 ? {} : { nameSuffix: NAME_SUFFIXES[(n - 1) % NAME_SUFFIXES.length] ?? '' }),
      priceFactor: n === 0 ? 1 : Math.round(randomBetween(rng, 0.9, 1.15) * 100) / 100,
    });
  }
  return specs;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Students of the AI-writing course (the roster and homework are in homeworkContent.ts)

/** The course's first students: refund requests come from them, and the roster starts with them. */
export const DEMO_STUDENTS: readonly { readonly id: string; readonly name: string }[] = [
  '林晓雨',
  '陈子墨',
  '王思远',
  '张雨桐',
  '刘一帆',
  '赵可欣',
  '黄俊杰',
  '周梦琪',
  '吴浩然',
  '徐静怡',
  '孙嘉禾',
  '马悦',
  '朱文轩',
  '胡欣然',
  '郭子豪',
  '何雨晴',
  '高天宇',
  '罗诗涵',
  '梁博文',
  '宋佳怡',
].map((name, index) => ({ id: `AIW26${String(101 + index).padStart(4, '0')}`, name }));

// ─────────────────────────────────────────────────────────────────────────────────────────────
// Refund requests (运营 SOP §9.1) and affiliate commissions (§8)

export interface RefundPlan {
  readonly id: string;
  readonly studentId: string;
  readonly studentName: string;
  readonly orderId: string;
  readonly amount: string;
  readonly currency: 'CNY';
  readonly purchasedAt: number;
  readonly requestedAt: number;
  readonly progressPercent: string;
  readonly eligible: boolean;
  readonly ineligibilityReasons: readonly string[];
  readonly state: 'pending' | 'approved' | 'rejected';
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
  /** `YYYY-MM-DD`, approved requests only. */
  readonly refundDueBy: string | null;
  readonly updatedAt: number;
  readonly items: readonly PlannedReviewItem[];
  readonly decisions: readonly PlannedDecision[];
  readonly audit: readonly PlannedAuditEvent[];
}

interface RefundCase {
  /** Hours before now the request came in. */
  readonly requestedHoursAgo: number;
  /** Hours between purchase and request. */
  readonly heldHours: number;
  readonly progress: string;
  readonly decide: 'approve' | 'reject' | null;
}

/**
 * Eight requests: eligible ones (one on the 7-day and 10 % boundaries), ineligible ones for
 * each reason and for both, pending and decided. Ineligible requests still wait for a person:
 * the system checks, a person decides (SOP §9.1).
 */
const REFUND_CASES: readonly RefundCase[] = [
  { requestedHoursAgo: 3, heldHours: 3 * 24, progress: '4.50', decide: null },
  { requestedHoursAgo: 20, heldHours: 7 * 24 - 2, progress: '10.00', decide: null },
  { requestedHoursAgo: 6, heldHours: 9 * 24, progress: '2.00', decide: null },
  { requestedHoursAgo: 30, heldHours: 2 * 24, progress: '35.50', decide: null },
  { requestedHoursAgo: 5 * 24, heldHours: 2 * 24, progress: '0.00', decide: 'approve' },
  { requestedHoursAgo: 8 * 24, heldHours: 5 * 24, progress: '8.20', decide: 'approve' },
  { requestedHoursAgo: 6 * 24, heldHours: 15 * 24, progress: '62.00', decide: 'reject' },
  { requestedHoursAgo: 3 * 24, heldHours: 4 * 24, progress: '18.75', decide: 'reject' },
];

const COURSE_PRICES = ['1999.00', '2999.00', '699.00', '3980.00'];

export interface RefundPlanInput {
  readonly count: number;
  readonly now: number;
  readonly rng: Rng;
  readonly newId: () => string;
  readonly opsId: string;
}

export function planRefunds(input: RefundPlanInput): RefundPlan[] {
  const { now, rng, newId, opsId } = input;
  const plans: RefundPlan[] = [];
  for (let index = 0; index < input.count; index += 1) {
    const base = must(REFUND_CASES[index % REFUND_CASES.length], 'refund case');
    // Later rounds of the cycle move back in time by whole weeks.
    const requestedAt =
      now - base.requestedHoursAgo * HOUR_MS - Math.floor(index / REFUND_CASES.length) * 7 * DAY_MS;
    const purchasedAt = requestedAt - base.heldHours * HOUR_MS;
    const eligibility = refundEligibility({
      purchasedAt,
      requestedAt,
      progressPercent: base.progress,
    });
    const student = must(DEMO_STUDENTS[(index * 7 + 3) % DEMO_STUDENTS.length], 'student');
    const amount = must(COURSE_PRICES[index % COURSE_PRICES.length], 'price');
    const id = newId();
    const decidedAt =
      base.decide === null ? null : requestedAt + Math.round(randomBetween(rng, 2, 20) * HOUR_MS);
    const state =
      base.decide === null ? 'pending' : base.decide === 'approve' ? 'approved' : 'rejected';
    const due =
      base.decide === 'approve' && decidedAt !== null ? refundDueBy(decidedAt).lastDay : null;
    const orderDay = shanghaiDate(purchasedAt).replace(/-/g, '');
    const item: PlannedReviewItem = {
      id: newId(),
      kind: 'refund',
      subjectId: id,
      revisionId: null,
      state: decidedAt === null ? 'pending' : 'decided',
      priority: eligibility.eligible && decidedAt === null ? 1 : 0,
      dueAt: requestedAt + 24 * HOUR_MS,
      assigneeId: decidedAt === null ? null : opsId,
      supersedesItemId: null,
      title: `退款申请 · ${student.name} · ¥${amount}`,
      createdAt: requestedAt,
      updatedAt: decidedAt ?? requestedAt,
    };
    const decisions: PlannedDecision[] = [];
    const audit: PlannedAuditEvent[] = [
      {
        id: newId(),
        at: requestedAt,
        actorId: null,
        subjectType: 'refund',
        subjectId: id,
        itemId: item.id,
        action: 'request',
        fromState: null,
        toState: 'pending',
        reason: null,
        details: { eligible: eligibility.eligible, reasons: [...eligibility.reasons] },
      },
    ];
    if (decidedAt !== null && base.decide !== null) {
      decisions.push({
        id: newId(),
        itemId: item.id,
        revisionId: null,
        kind: 'refund',
        outcome: base.decide,
        reviewerId: opsId,
        reasons: base.decide === 'reject' ? [...eligibility.reasons] : [],
        note:
          base.decide === 'approve'
            ? `已核实学习进度 ${base.progress}%，同意退款，${due ?? ''} 前原路退回。`
            : eligibility.message['zh-CN'],
        details: due === null ? {} : { refundDueBy: due },
        decidedAt,
      });
      audit.push({
        id: newId(),
        at: decidedAt,
        actorId: opsId,
        subjectType: 'refund',
        subjectId: id,
        itemId: item.id,
        action: base.decide,
        fromState: 'pending',
        toState: state,
        reason: base.decide === 'reject' ? eligibility.reasons.join(',') : null,
        details: due === null ? {} : { refundDueBy: due },
      });
    }
    plans.push({
      id,
      studentId: student.id,
      studentName: student.name,
      orderId: `AIW${orderDay}${String(1000 + ((index * 7919) % 9000)).padStart(4, '0')}`,
      amount,
      currency: 'CNY',
      purchasedAt,
      requestedAt,
      progressPercent: base.progress,
      eligible: eligibility.eligible,
      ineligibilityReasons: [...eligibility.reasons],
      state,
      decidedBy: decidedAt === null ? null : opsId,
      decidedAt,
      refundDueBy: due,
      updatedAt: decidedAt ?? requestedAt,
      items: [item],
      decisions,
      audit,
    });
  }
  return plans;
}

export interface CommissionPlan {
  readonly id: string;
  readonly orderId: string;
  readonly buyerId: string;
  readonly memberId: string;
  readonly level: 1 | 2 | 3;
  readonly rate: string;
  readonly amount: string;
  readonly settleOn: string;
  readonly createdAt: number;
}

/**
 * A few paid orders split over their referral chains with `splitCommission` (20 / 15 / 10 %); one
 * chain has a member who is not a paying member and earns nothing at that level.
 */
export function planCommissions(input: { now: number; newId: () => string }): CommissionPlan[] {
  const orders: { order: CommissionInput; daysAgo: number; orderId: string }[] = [
    {
      orderId: 'AIW202610180001',
      daysAgo: 34,
      order: {
        orderAmount: '3980.00',
        buyerId: 'AIW260114',
        uplines: [
          { memberId: 'M10023', paying: true },
          { memberId: 'M10007', paying: true },
        ],
      },
    },
    {
      orderId: 'AIW202611020417',
      daysAgo: 19,
      order: {
        orderAmount: '1999.00',
        buyerId: 'AIW260105',
        uplines: [
          { memberId: 'M10031', paying: true },
          { memberId: 'M10023', paying: true },
          { memberId: 'M10007', paying: true },
        ],
      },
    },
    {
      orderId: 'AIW202611090233',
      daysAgo: 12,
      order: {
        orderAmount: '2999.00',
        buyerId: 'AIW260117',
        uplines: [
          { memberId: 'M10042', paying: true },
          { memberId: 'M10038', paying: false },
          { memberId: 'M10031', paying: true },
        ],
      },
    },
    {
      orderId: 'AIW202611160088',
      daysAgo: 5,
      order: {
        orderAmount: '699.00',
        buyerId: 'AIW260110',
        uplines: [{ memberId: 'M10007', paying: true }],
      },
    },
  ];
  return orders.flatMap(({ order, daysAgo, orderId }) => {
    const paidAt = input.now - daysAgo * DAY_MS;
    const split = splitCommission(order);
    return split.lines.map((line) => ({
      id: input.newId(),
      orderId,
      buyerId: order.buyerId,
      memberId: line.memberId,
      level: line.level,
      rate: line.rate,
      amount: line.amount,
      settleOn: commissionSettlementDate(paidAt),
      createdAt: paidAt,
    }));
  });
}
