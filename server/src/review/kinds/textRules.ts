import type { Outcome } from '../scope';

/**
 * PostgreSQL text cannot hold U+0000, so free text a kind stores (feedback, replies, notes) is
 * refused with this outcome before it reaches the database, instead of failing the push.
 */
export const NUL_OUTCOME: Outcome = {
  status: 'rejected',
  code: 'VALIDATION',
  details: { reason: 'nul_character' },
  message: {
    'zh-CN': '文字中不能含有 U+0000 字符。',
    en: 'The text must not contain the character U+0000.',
  },
};

export const hasNul = (...texts: readonly string[]): boolean =>
  texts.some((text) => text.includes('\u0000'));
