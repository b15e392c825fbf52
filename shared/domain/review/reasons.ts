import type { LocalizedText } from '../../i18n/localized';

/**
 * Why a field comment was made (domain.md, "Listing — states"): reviewers group their comments
 * into these reasons, and the rejection-reason statistics count them.
 */
export const REVIEW_REASON_CODES = [
  'missing_material',
  'credential_problem',
  'unclear_description',
  'other',
] as const;
export type ReviewReasonCode = (typeof REVIEW_REASON_CODES)[number];

export const REVIEW_REASON_LABELS: Readonly<Record<ReviewReasonCode, LocalizedText>> = {
  missing_material: { 'zh-CN': '缺少材料', en: 'Missing material' },
  credential_problem: { 'zh-CN': '资质问题', en: 'Credential problem' },
  unclear_description: { 'zh-CN': '描述不清', en: 'Unclear description' },
  other: { 'zh-CN': '其他', en: 'Other' },
};
