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
      return validationMessage(details);
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
    case 'POOL_NOT_OPEN': {
      const day = typeof details['reviewDay'] === 'string' ? details['reviewDay'] : null;
      return day === null
        ? {
            'zh-CN': '导师评审池尚未开放（每周五 00:00 北京时间开放）',
            en: 'The mentors’ pool is not open yet (it opens on Fridays at 00:00 Beijing time)',
          }
        : {
            'zh-CN': `导师评审池尚未开放：该作业于 ${day}（周五）00:00（北京时间）开放评审`,
            en: `The mentors’ pool is not open yet: this work can be reviewed from Friday ${day}, 00:00 Beijing time`,
          };
    }
    case 'RUBRIC_CHANGED': {
      const revision =
        typeof details['currentRevision'] === 'number' ? details['currentRevision'] : null;
      const now = {
        zh: revision === null ? '' : `（现为第 ${revision} 版）`,
        en: revision === null ? '' : ` (now revision ${revision})`,
      };
      return details['reason'] === 'save'
        ? {
            'zh-CN': `该评分标准已被他人修改${now.zh}，请重新载入后再修改；你的修改未保存`,
            en: `Someone else saved this rubric meanwhile${now.en}; reload it and make your changes again. Yours were not saved`,
          }
        : {
            'zh-CN': `本章评分标准已更新${now.zh}，请按新标准重新评分；你的评分未生效`,
            en: `The chapter’s rubric changed${now.en}; grade the work again against it. Your grade was not applied`,
          };
    }
  }
}

/** Most schema problems named in a VALIDATION message; the rest are in `details.issues`. */
const MAX_NAMED_ISSUES = 3;

/**
 * The VALIDATION message: the standard sentence, naming the fields an argument schema refused
 * (`details.issues` of `{path, message}`, as the push sends them) and their length limits.
 */
function validationMessage(details: Readonly<Record<string, unknown>>): LocalizedText {
  const base = { 'zh-CN': '提交的内容不符合规则', en: 'The request does not meet the rules' };
  const issues = Array.isArray(details['issues']) ? (details['issues'] as unknown[]) : [];
  const named: { zh: string; en: string }[] = [];
  for (const issue of issues) {
    if (typeof issue !== 'object' || issue === null) {
      continue;
    }
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || path === '' || typeof message !== 'string') {
      continue;
    }
    const limit = /<=\s*(\d+) characters/.exec(message)?.[1];
    named.push(
      limit === undefined
        ? { zh: `${path} 不符合要求`, en: `${path}: ${message}` }
        : { zh: `${path} 最多 ${limit} 个字符`, en: `${path} has at most ${limit} characters` },
    );
    if (named.length === MAX_NAMED_ISSUES) {
      break;
    }
  }
  if (named.length === 0) {
    return base;
  }
  return {
    'zh-CN': `${base['zh-CN']}：${named.map((one) => one.zh).join('；')}`,
    en: `${base.en}: ${named.map((one) => one.en).join('; ')}`,
  };
}
