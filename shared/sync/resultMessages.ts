import type { LocalizedText } from '../i18n/localized';
import type { ResultCode } from './protocol';

/**
 * People-facing explanations of mutation results, in both languages. The server stores them with
 * each result; the workstation can re-render them from `code` and `details` in the user's language.
 */
export function resultMessage(
  code: ResultCode,
  details: Readonly<Record<string, unknown>> = {},
): LocalizedText {
  const who = typeof details['holderName'] === 'string' ? details['holderName'] : null;
  const until = typeof details['expiresAt'] === 'string' ? details['expiresAt'] : null;
  switch (code) {
    case 'CLAIMED_BY_OTHER':
      return {
        'zh-CN': `该条目已被${who ?? '其他审核员'}领取${until === null ? '' : `，租约至 ${until}`}`,
        en: `Claimed by ${who ?? 'another reviewer'}${until === null ? '' : ` until ${until}`}`,
      };
    case 'CLAIM_LOST':
      return {
        'zh-CN': `你的领取已失效，条目现由${who ?? '其他审核员'}处理；你的决定未生效`,
        en: `Your claim lapsed and ${who ?? 'another reviewer'} now holds the item; your decision was not applied`,
      };
    case 'LEASE_EXPIRED_ACCEPTED':
      return {
        'zh-CN': '租约已过期，但期间无人改动该条目，决定已生效',
        en: 'Applied after the lease expired: nobody else touched the item',
      };
    case 'ALREADY_DECIDED':
      return {
        'zh-CN': '该条目已有最终决定，你的决定未生效',
        en: 'The item already has a final decision; yours was not applied',
      };
    case 'WITHDRAWN':
      return {
        'zh-CN': '提交者已撤回或该项目已下线',
        en: 'The submitter withdrew it, or the listing is already offline',
      };
    case 'STALE_BASE':
      return {
        'zh-CN': '提交者在你审核后提交了新版本，请重新审核',
        en: 'The submitter sent a newer revision after you reviewed it; review it again',
      };
    case 'FORBIDDEN':
      return { 'zh-CN': '你没有执行此操作的权限', en: 'You are not allowed to do this' };
    case 'VALIDATION':
      return { 'zh-CN': '提交的内容不符合规则', en: 'The request does not meet the rules' };
    case 'UNSUPPORTED':
      return {
        'zh-CN': '服务器不支持此操作版本，请更新应用；你的决定已保留',
        en: 'The server does not support this version of the action; update the app. Your decision is kept',
      };
    case 'NOT_FOUND':
      return { 'zh-CN': '找不到该条目', en: 'The item does not exist' };
    case 'DUPLICATE':
      return { 'zh-CN': '该操作已处理过', en: 'This action was already processed' };
    case 'INTERNAL':
      return {
        'zh-CN': '服务器处理失败，已记录待管理员处理；你的决定已保留',
        en: 'The server failed on this action; it is kept for an administrator',
      };
  }
}
