import type { LocalizedText } from '#shared/i18n/localized';
import type { ReviewReasonCode } from '#shared/domain/review/reasons';
import { segmentsOf } from './fields';

/**
 * The team's comment bank: wording reviewers reuse for the objections they raise every day, in
 * both languages, each with the reason code it is filed under and the fields it is usually about
 * (JSON Pointer patterns, `*` standing for one segment). The composer offers the templates that
 * fit the field first, then all the others; a template only fills the form, the reviewer edits
 * the text before saving.
 */
export interface CommentTemplate {
  readonly id: string;
  readonly reasonCode: ReviewReasonCode;
  /** Short name in the picker. */
  readonly title: LocalizedText;
  /** The comment text the template fills in. */
  readonly text: LocalizedText;
  /** Fields it is usually about. */
  readonly paths: readonly string[];
}

const tpl = (
  id: string,
  reasonCode: ReviewReasonCode,
  title: [string, string],
  text: [string, string],
  paths: readonly string[],
): CommentTemplate => ({
  id,
  reasonCode,
  title: { 'zh-CN': title[0], en: title[1] },
  text: { 'zh-CN': text[0], en: text[1] },
  paths,
});

const FILES = ['/credentials/files', '/credentials/files/*'];

export const COMMENT_BANK: readonly CommentTemplate[] = [
  // ---- Missing material -------------------------------------------------------------------
  tpl(
    'missing-contract-sample',
    'missing_material',
    ['缺少合同样本', 'Contract sample missing'],
    [
      '资质文件中缺少合同样本，请上传与学员签订的服务合同样本（可隐去个人信息）。',
      'The credentials lack a contract sample. Please upload the service contract you sign with students (personal data may be blacked out).',
    ],
    FILES,
  ),
  tpl(
    'missing-business-licence',
    'missing_material',
    ['缺少营业执照', 'Business licence missing'],
    [
      '请上传机构营业执照（清晰的彩色扫描件或照片，需能看清统一社会信用代码）。',
      "Please upload the institution's business licence (a clear colour scan or photo in which the unified social credit code is legible).",
    ],
    FILES,
  ),
  tpl(
    'missing-mentor-certificate',
    'missing_material',
    ['缺少导师证明', 'Mentor certificate missing'],
    [
      '请上传导师的学历或任职证明，以便核实导师资质。',
      "Please upload the mentor's degree certificate or proof of employment so that the qualification can be verified.",
    ],
    [...FILES, '/highlights/mentors', '/highlights/mentors/*'],
  ),
  tpl(
    'missing-case-proof',
    'missing_material',
    ['成功案例缺少证明', 'Success case lacks proof'],
    [
      '成功案例需提供录取通知书等证明材料（可隐去学生姓名），否则请删除该案例。',
      "Success cases need proof such as the admission letter (the student's name may be hidden); otherwise remove the case.",
    ],
    ['/highlights/successCases', '/highlights/successCases/*/result'],
  ),
  tpl(
    'missing-service-items',
    'missing_material',
    ['套餐缺少服务项', 'Package lacks service items'],
    [
      '请列明该套餐包含的具体服务项，例如选校定位、文书修改、网申递交等。',
      'Please list what this package includes, e.g. school selection, essay editing, application submission.',
    ],
    ['/packages/items/*/serviceItems'],
  ),
  tpl(
    'missing-deliverable',
    'missing_material',
    ['缺少阶段输出物', 'Stage deliverable missing'],
    [
      '请写明该阶段交付给学员的具体成果，例如选校报告、文书终稿。',
      'Please state what the student receives at the end of this stage, e.g. a school-selection report or the final essay.',
    ],
    ['/process/timeline/*/deliverable'],
  ),
  tpl(
    'missing-acceptance',
    'missing_material',
    ['缺少验收标准', 'Acceptance criteria missing'],
    [
      '请补充该阶段的验收标准，说明学员如何确认该阶段已完成。',
      'Please add the acceptance criteria of this stage: how the student confirms it is complete.',
    ],
    ['/process/timeline/*/acceptanceCriteria'],
  ),
  tpl(
    'missing-requirements',
    'missing_material',
    ['缺少申请条件', 'Admission conditions missing'],
    [
      '请补充学员需满足的学术成绩、语言成绩或背景条件。',
      'Please add the academic, language or background conditions a student must meet.',
    ],
    ['/requirements/items', '/requirements/items/*'],
  ),
  tpl(
    'missing-risk-content',
    'missing_material',
    ['风险提示不完整', 'Risk disclosure incomplete'],
    [
      '风险提示需写明录取结果由院校决定、机构不承诺录取，以及签证风险。',
      'The risk disclosure must say that admission is decided by the universities, that no admission is promised, and mention visa risks.',
    ],
    ['/risk/disclosure'],
  ),
  tpl(
    'missing-after-sales',
    'missing_material',
    ['缺少售后说明', 'After-sales policy missing'],
    [
      '请补充售后策略：服务期内的沟通方式、响应时限及投诉渠道。',
      'Please add the after-sales policy: how students reach you during the service, response times and how to complain.',
    ],
    ['/risk/afterSalesPolicy'],
  ),
  tpl(
    'missing-custom-refund',
    'missing_material',
    ['缺少自定义退费条款', 'Custom refund terms missing'],
    [
      '退费规则选择了「仅自定义条款」，请填写完整的退费规则。',
      'The refund policy is "custom terms only"; please write out the complete refund terms.',
    ],
    ['/packages/refundPolicy/customText', '/packages/refundPolicy/templateId'],
  ),
  tpl(
    'missing-mentors',
    'missing_material',
    ['缺少导师信息', 'No mentors listed'],
    [
      '请在导师阵容中添加至少一位已认证的导师。',
      'Please add at least one verified mentor to the mentor list.',
    ],
    ['/highlights/mentors'],
  ),
  tpl(
    'missing-validity',
    'missing_material',
    ['资质文件缺少有效期', 'Credential validity missing'],
    [
      '请注明资质文件的有效期；长期有效的请选择「长期」。',
      'Please state how long the document is valid; choose "no expiry" for documents without one.',
    ],
    FILES,
  ),

  // ---- Credential problems ----------------------------------------------------------------
  tpl(
    'licence-expired',
    'credential_problem',
    ['营业执照已过期', 'Business licence expired'],
    [
      '营业执照已过期，请上传在有效期内的营业执照。',
      'The business licence has expired. Please upload a licence that is currently valid.',
    ],
    FILES,
  ),
  tpl(
    'licence-illegible',
    'credential_problem',
    ['营业执照不清晰', 'Business licence illegible'],
    [
      '营业执照扫描件不清晰，无法辨认统一社会信用代码，请重新上传清晰版本。',
      'The licence scan is too blurred to read the unified social credit code. Please upload a clear copy.',
    ],
    FILES,
  ),
  tpl(
    'provider-name-mismatch',
    'credential_problem',
    ['名称与营业执照不一致', 'Name differs from the licence'],
    [
      '提供方名称与营业执照上的名称不一致，请核对后修改，或补充说明两者关系。',
      'The provider name differs from the name on the business licence. Please correct it or explain how the two relate.',
    ],
    ['/provider/name', ...FILES],
  ),
  tpl(
    'licence-scope',
    'credential_problem',
    ['经营范围不符', 'Business scope does not cover the service'],
    [
      '营业执照的经营范围不包含教育咨询或留学中介相关业务，暂不能上架此类服务。',
      'The business scope on the licence does not cover education consulting or study-abroad services, so this service cannot be listed.',
    ],
    FILES,
  ),
  tpl(
    'mentor-proof-unverifiable',
    'credential_problem',
    ['导师证明无法核实', 'Mentor proof cannot be verified'],
    [
      '导师证明无法核实（缺少学校或单位盖章），请上传可核验的证明材料。',
      'The mentor certificate cannot be verified (no school or employer seal). Please upload proof that can be checked.',
    ],
    [...FILES, '/highlights/mentors/*'],
  ),
  tpl(
    'mentor-not-verified',
    'credential_problem',
    ['导师未认证', 'Mentor not verified'],
    [
      '所列导师尚未通过平台认证，请先完成导师认证，或将其从导师阵容中移除。',
      'This mentor has not passed the platform verification. Complete the verification first or remove the mentor from the list.',
    ],
    ['/highlights/mentors', '/highlights/mentors/*'],
  ),
  tpl(
    'contract-incomplete',
    'credential_problem',
    ['合同样本缺少关键条款', 'Contract sample lacks key terms'],
    [
      '合同样本缺少退费条款和服务期限，请上传完整版本。',
      'The contract sample has no refund clause and no service period. Please upload the complete contract.',
    ],
    FILES,
  ),
  tpl(
    'credential-not-yet-valid',
    'credential_problem',
    ['资质文件尚未生效', 'Credential not yet valid'],
    [
      '资质文件的生效日期晚于今天，请在文件生效后重新提交。',
      'The document only becomes valid after today. Please resubmit once it is in force.',
    ],
    FILES,
  ),
  tpl(
    'file-kind-mismatch',
    'credential_problem',
    ['文件类型不符', 'Wrong document type'],
    [
      '上传的文件与所选类型不符（例如把合同样本标为营业执照），请更正文件类型。',
      'The file does not match its type (e.g. a contract sample marked as the business licence). Please correct the type.',
    ],
    FILES,
  ),
  tpl(
    'licence-expiring',
    'credential_problem',
    ['营业执照即将到期', 'Business licence expiring soon'],
    [
      '营业执照将在 30 天内到期，请尽快上传续期后的执照，否则到期后项目将被下线。',
      'The business licence expires within 30 days. Please upload the renewed licence soon, or the listing goes offline when it expires.',
    ],
    FILES,
  ),
  tpl(
    'tutor-proof-not-own',
    'credential_problem',
    ['证明不是本人的', 'Proof is not the tutor’s own'],
    [
      '个人导师提交需上传本人的学历证明，当前文件不是提交人本人的证明。',
      'An individual tutor must upload their own degree certificate; this document belongs to someone else.',
    ],
    [...FILES, '/provider/name'],
  ),
  tpl(
    'document-altered',
    'credential_problem',
    ['文件有修改痕迹', 'Document looks altered'],
    [
      '资质文件存在修改痕迹（字体或印章不一致），请上传原件的扫描件。',
      'The document shows signs of editing (inconsistent fonts or seal). Please upload a scan of the original.',
    ],
    FILES,
  ),
  tpl(
    'contract-party-mismatch',
    'credential_problem',
    ['签约主体不一致', 'Contracting party differs'],
    [
      '合同样本的签约主体与营业执照不是同一家公司，请说明两者关系或更换材料。',
      'The contracting party in the sample is not the company on the business licence. Please explain the relationship or replace the document.',
    ],
    FILES,
  ),

  // ---- Unclear description ----------------------------------------------------------------
  tpl(
    'name-country-stage',
    'unclear_description',
    ['名称需包含国家/阶段', 'Name should state country/stage'],
    [
      '项目名称需包含国家/地区或适用阶段，例如「英国硕士申请旗舰包」，方便学员识别。',
      'The name should say the country/region or the stage, e.g. "UK Master\'s application flagship package", so students can tell what it is.',
    ],
    ['/basic/name'],
  ),
  tpl(
    'price-unclear',
    'unclear_description',
    ['价格说明不清', 'Price unclear'],
    [
      '价格说明不清：请写明价格包含哪些服务，是否包含院校申请费和签证费。',
      'The price is unclear: please state which services it covers and whether application and visa fees are included.',
    ],
    ['/packages/items/*/price', '/packages/items/*/name'],
  ),
  tpl(
    'price-range-wide',
    'unclear_description',
    ['价格区间过大', 'Price range too wide'],
    [
      '价格区间跨度过大，请说明区间两端对应的服务差异，或拆分为多个套餐。',
      'The price range is very wide. Please explain what differs between the two ends, or split it into several packages.',
    ],
    ['/packages/items/*/price'],
  ),
  tpl(
    'service-items-vague',
    'unclear_description',
    ['服务项描述笼统', 'Service items vague'],
    [
      '服务项描述过于笼统（如「全程服务」），请写明具体内容和次数。',
      'The service items are too vague (e.g. "full service"); please state what exactly is done and how often.',
    ],
    ['/packages/items/*/serviceItems'],
  ),
  tpl(
    'sessions-mismatch',
    'unclear_description',
    ['课时数与服务不符', 'Sessions do not match the services'],
    [
      '课时/阶段数与服务项不匹配，请核对并说明每个课时的内容。',
      'The number of sessions does not match the service items; please check it and describe what each session covers.',
    ],
    ['/packages/items/*/sessions'],
  ),
  tpl(
    'intro-messy',
    'unclear_description',
    ['简介排版混乱', 'Introduction hard to read'],
    [
      '项目简介排版混乱或包含大段无关内容，请精简并分段说明服务内容。',
      'The introduction is badly formatted or full of unrelated text. Please shorten it and describe the service in paragraphs.',
    ],
    ['/basic/introduction'],
  ),
  tpl(
    'intro-package-mismatch',
    'unclear_description',
    ['简介与套餐不一致', 'Introduction contradicts the packages'],
    [
      '项目简介中的服务内容与套餐不一致，请统一描述。',
      'The services described in the introduction differ from the packages; please make them agree.',
    ],
    ['/basic/introduction', '/packages/items'],
  ),
  tpl(
    'stage-name-unclear',
    'unclear_description',
    ['阶段名称不清', 'Stage name unclear'],
    [
      '时间轴阶段名称不清楚，请使用学员能理解的名称（如「选校定位」）。',
      'The timeline stage name is unclear; use a name students understand (e.g. "School selection").',
    ],
    ['/process/timeline/*/stageName'],
  ),
  tpl(
    'duration-unrealistic',
    'unclear_description',
    ['阶段时长不合理', 'Stage duration unrealistic'],
    [
      '阶段时长不合理，或与整体服务周期不符，请核对。',
      'The duration of this stage is unrealistic or does not fit the overall service period; please check it.',
    ],
    ['/process/timeline/*/duration'],
  ),
  tpl(
    'requirement-vague',
    'unclear_description',
    ['条件描述模糊', 'Condition vague'],
    [
      '申请条件描述模糊，请写明具体的成绩或分数要求（如 GPA 3.0、雅思 6.5）。',
      'The condition is vague; please give concrete grades or scores (e.g. GPA 3.0, IELTS 6.5).',
    ],
    ['/requirements/items/*'],
  ),
  tpl(
    'advantage-vague',
    'unclear_description',
    ['核心优势空泛', 'Advantage too generic'],
    [
      '核心优势过于空泛，请用可核实的事实描述（如导师背景、服务次数）。',
      'This advantage is too generic; describe it with facts that can be checked (mentor background, number of sessions).',
    ],
    ['/highlights/advantages', '/highlights/advantages/*'],
  ),
  tpl(
    'case-incomplete',
    'unclear_description',
    ['成功案例信息不完整', 'Success case incomplete'],
    [
      '成功案例缺少学生背景或结果的关键信息（院校、专业），请补充。',
      'The success case lacks key facts about the background or the result (university, programme); please add them.',
    ],
    [
      '/highlights/successCases/*/studentBackground',
      '/highlights/successCases/*/result',
      '/highlights/successCases/*/highlight',
    ],
  ),
  tpl(
    'risk-wording',
    'unclear_description',
    ['风险与退费措辞含糊', 'Risk or refund wording vague'],
    [
      '风险提示或退费条款措辞含糊，请明确说明哪些情况下不予退费。',
      'The risk or refund wording is vague; please state clearly in which cases no refund is given.',
    ],
    ['/risk/disclosure', '/packages/refundPolicy/customText'],
  ),

  // ---- Other ------------------------------------------------------------------------------
  tpl(
    'absolute-claims',
    'other',
    ['含绝对化承诺', 'Guarantee wording'],
    [
      '内容含「保录取」「100% 录取」等承诺性用语，违反平台规范，请删除。',
      'The text promises results ("guaranteed admission", "100% offer rate"), which the platform rules forbid; please remove it.',
    ],
    ['/basic/name', '/basic/introduction', '/highlights/advantages/*', '/packages/items/*/name'],
  ),
  tpl(
    'contact-details',
    'other',
    ['含站外联系方式', 'Off-platform contact details'],
    [
      '内容中包含微信号、电话等站外联系方式，请删除。',
      'The text contains WeChat IDs, phone numbers or other off-platform contact details; please remove them.',
    ],
    ['/basic/introduction', '/highlights/advantages/*', '/risk/afterSalesPolicy'],
  ),
  tpl(
    'external-links',
    'other',
    ['含外部链接', 'External links'],
    [
      '简介中包含外部链接，平台不允许引流到站外，请删除。',
      'The introduction links to outside sites; directing students off the platform is not allowed, please remove the links.',
    ],
    ['/basic/introduction', '/packages/refundPolicy/customText'],
  ),
  tpl(
    'duplicate-listing',
    'other',
    ['与已上线项目重复', 'Duplicates a live listing'],
    [
      '该项目与机构已上线的项目内容重复，请合并，或说明两者的差异。',
      'This listing repeats one of your live listings; please merge them or explain the difference.',
    ],
    ['/basic/name'],
  ),
  tpl(
    'country-mismatch',
    'other',
    ['国家/地区不符', 'Country/region mismatch'],
    [
      '所选国家/地区与项目名称或简介不一致，请核对。',
      'The selected country/region does not match the name or the introduction; please check it.',
    ],
    ['/basic/country', '/basic/name'],
  ),
  tpl(
    'stage-mismatch',
    'other',
    ['适用阶段不符', 'Stage mismatch'],
    [
      '所选适用阶段与套餐内容不一致，请核对。',
      'The selected stages do not match what the packages offer; please check them.',
    ],
    ['/basic/stages'],
  ),
  tpl(
    'intake-mismatch',
    'other',
    ['招生季不符', 'Intake mismatch'],
    [
      '所选招生季与目标院校实际开放申请的时间不符，请核对。',
      'The intakes do not match when the target universities actually take applications; please check them.',
    ],
    ['/basic/intakes'],
  ),
  tpl(
    'seats-implausible',
    'other',
    ['座位数不合理', 'Seat count implausible'],
    [
      '座位数明显超出机构的服务能力，请核实后修改。',
      'The number of seats is far beyond what the institution can serve; please check it.',
    ],
    ['/packages/items/*/seats'],
  ),
  tpl(
    'typos',
    'other',
    ['错别字或语病', 'Typos'],
    [
      '存在错别字或语病，请校对后重新提交。',
      'There are typos or grammatical errors; please proofread and resubmit.',
    ],
    [
      '/basic/name',
      '/basic/introduction',
      '/highlights/advantages/*',
      '/packages/items/*/name',
      '/process/timeline/*/*',
    ],
  ),
  tpl(
    'student-privacy',
    'other',
    ['含学生隐私信息', 'Student privacy'],
    [
      '成功案例中含学生真实姓名或可识别的个人信息，请做匿名处理。',
      "The success case contains the student's real name or identifying details; please anonymise it.",
    ],
    ['/highlights/successCases', '/highlights/successCases/*/*'],
  ),
  tpl(
    'refund-conflicts-platform',
    'other',
    ['退费规则与平台冲突', 'Refund terms conflict with the platform'],
    [
      '退费规则与平台的 7 天无忧退款规则冲突，请改用标准模板或修改自定义条款。',
      "The refund terms contradict the platform's 7-day refund rule; use a standard template or change the custom terms.",
    ],
    ['/packages/refundPolicy/templateId', '/packages/refundPolicy/customText'],
  ),
  tpl(
    'risk-not-confirmed',
    'other',
    ['风险提示未确认', 'Risk disclosure not confirmed'],
    [
      '请由机构负责人阅读并勾选风险提示确认后重新提交。',
      'Please have the person in charge read and confirm the risk disclosure, then resubmit.',
    ],
    ['/risk/confirmed'],
  ),
  tpl(
    'disparaging',
    'other',
    ['贬低其他机构', 'Disparages competitors'],
    [
      '内容中含有贬低其他机构的表述，请删除。',
      'The text disparages other institutions; please remove it.',
    ],
    ['/basic/introduction', '/highlights/advantages/*'],
  ),
];

/** Whether a pattern (`*` = any one segment) names the field at `path`. */
export function patternMatches(pattern: string, path: string): boolean {
  const want = segmentsOf(pattern);
  const have = segmentsOf(path);
  if (want === null || have?.length !== want.length) {
    return false;
  }
  return want.every((segment, index) => segment === '*' || segment === have[index]);
}

/** Templates for the field at `path`: those suggested for it first, then the rest. */
export function templatesFor(path: string): {
  readonly suggested: readonly CommentTemplate[];
  readonly others: readonly CommentTemplate[];
} {
  const suggested: CommentTemplate[] = [];
  const others: CommentTemplate[] = [];
  for (const template of COMMENT_BANK) {
    (template.paths.some((pattern) => patternMatches(pattern, path)) ? suggested : others).push(
      template,
    );
  }
  return { suggested, others };
}

export function findTemplate(id: string): CommentTemplate | undefined {
  return COMMENT_BANK.find((template) => template.id === id);
}
