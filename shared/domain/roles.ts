import type { LocalizedText } from '../i18n/localized';

/**
 * Team roles (domain.md, "People and roles"). Every user is a team member with exactly one role.
 * `submitter` covers both institution admins and individual tutors.
 */
export const ROLES = [
  'submitter',
  'collaborator',
  'assistant',
  'reviewer',
  'ops_manager',
  'ta',
  'mentor',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, LocalizedText>> = {
  submitter: { 'zh-CN': '提交者', en: 'Submitter' },
  collaborator: { 'zh-CN': '协作人', en: 'Collaborator' },
  assistant: { 'zh-CN': '运营助理', en: 'Ops assistant' },
  reviewer: { 'zh-CN': '审核员', en: 'Reviewer' },
  ops_manager: { 'zh-CN': '运营经理', en: 'Ops manager' },
  ta: { 'zh-CN': '助教', en: 'TA' },
  mentor: { 'zh-CN': '导师', en: 'Mentor' },
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
