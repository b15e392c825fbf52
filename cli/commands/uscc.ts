import { checkUscc, USCC_REASON_MESSAGES, type UsccCheck } from '#shared/domain/uscc';
import type { Locale } from '#shared/i18n/localized';
import { EXIT, type CliIo } from '../io';

export interface UsccCommandOptions {
  readonly json: boolean;
  readonly locale: Locale;
}

/** JSON shape of one result; stable for machines. */
export interface UsccJsonResult {
  readonly input: string;
  readonly valid: boolean;
  readonly normalized: string;
  readonly reason: UsccCheck['reason'];
}

const LABELS = {
  'zh-CN': { valid: '有效', invalid: '无效', expected: '校验位应为' },
  en: { valid: 'valid', invalid: 'invalid', expected: 'check character should be' },
} as const;

/** `review-desk uscc CODE…`: checks unified social credit codes; exit 1 when any is invalid. */
export function runUsccCommand(
  codes: readonly string[],
  options: UsccCommandOptions,
  io: CliIo,
): number {
  const checks = codes.map((code) => checkUscc(code));
  if (options.json) {
    const results: UsccJsonResult[] = checks.map(({ input, valid, normalized, reason }) => ({
      input,
      valid,
      normalized,
      reason,
    }));
    io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    const labels = LABELS[options.locale];
    for (const check of checks) {
      io.stdout(`${formatHumanLine(check, options.locale, labels)}\n`);
    }
  }
  return checks.every((check) => check.valid) ? EXIT.ok : EXIT.findings;
}

function formatHumanLine(
  check: UsccCheck,
  locale: Locale,
  labels: (typeof LABELS)[Locale],
): string {
  const shown = check.normalized === '' ? JSON.stringify(check.input) : check.normalized;
  if (check.reason === null) {
    return `✓ ${shown}  ${labels.valid}`;
  }
  const why = USCC_REASON_MESSAGES[check.reason][locale];
  const expected =
    check.expectedCheckCharacter === undefined
      ? ''
      : ` (${labels.expected} ${check.expectedCheckCharacter})`;
  return `✗ ${shown}  ${labels.invalid}: ${check.reason} — ${why}${expected}`;
}
