import { resolve } from 'node:path';
import { validateListing } from '#shared/domain/listing/validate';
import { toJsonPointer, type ValidationIssue } from '#shared/domain/validationIssue';
import type { Locale, LocalizedText } from '#shared/i18n/localized';
import { CliInputError, EXIT, type CliIo } from '../io';
import { describeJsonKind, readJsonFile } from '../readJson';

/**
 * Largest listing file the command reads. A complete listing with 50 packages is well under
 * 1 MB; anything near this is not a listing, and reading it whole would only waste memory.
 */
export const LISTING_FILE_MAX_BYTES = 5 * 1024 * 1024;

export interface ValidateCommandOptions {
  readonly json: boolean;
  readonly locale: Locale;
  /** The calendar day credentials are checked against (YYYY-MM-DD). */
  readonly today: string;
}

export interface ValidateJsonIssue {
  readonly path: readonly (string | number)[];
  readonly pointer: string;
  readonly code: string;
  readonly severity: ValidationIssue['severity'];
  readonly message: LocalizedText;
}

export interface ValidateJsonResult {
  readonly file: string;
  readonly valid: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly issues: readonly ValidateJsonIssue[];
}

const LABELS = {
  'zh-CN': {
    summary: (errors: number, warnings: number) => `${errors} 个错误，${warnings} 个提醒`,
    clean: '没有发现问题',
    error: '错误',
    warning: '提醒',
  },
  en: {
    summary: (errors: number, warnings: number) =>
      `${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`,
    clean: 'no issues found',
    error: 'error',
    warning: 'warning',
  },
} as const;

/**
 * `review-desk validate FILE.json…`: prints each listing's validation issues. Exit 1 when any
 * file has an error-severity issue; exit 2 (one line on stderr) when a file cannot be read as a
 * listing document at all.
 */
export async function runValidateCommand(
  files: readonly string[],
  options: ValidateCommandOptions,
  io: CliIo,
): Promise<number> {
  const results: ValidateJsonResult[] = [];
  for (const file of files) {
    const document = await readListingFile(resolve(io.cwd, file), file);
    const issues = validateListing(document, { today: options.today });
    results.push(toJsonResult(file, issues));
  }
  if (options.json) {
    io.stdout(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    for (const result of results) {
      io.stdout(formatHuman(result, options.locale));
    }
  }
  return results.every((result) => result.valid) ? EXIT.ok : EXIT.findings;
}

async function readListingFile(absolutePath: string, shownName: string): Promise<unknown> {
  const parsed = await readJsonFile(absolutePath, shownName, {
    maxBytes: LISTING_FILE_MAX_BYTES,
    noun: 'a listing document',
  });
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliInputError(
      `${shownName} holds ${describeJsonKind(parsed)}, but a listing document is a JSON object`,
    );
  }
  return parsed;
}

function toJsonResult(file: string, issues: readonly ValidationIssue[]): ValidateJsonResult {
  const errors = issues.filter((issue) => issue.severity === 'error').length;
  return {
    file,
    valid: errors === 0,
    errors,
    warnings: issues.length - errors,
    issues: issues.map((issue) => ({
      path: issue.path,
      pointer: toJsonPointer(issue.path),
      code: issue.code,
      severity: issue.severity,
      message: issue.message,
    })),
  };
}

function formatHuman(result: ValidateJsonResult, locale: Locale): string {
  const labels = LABELS[locale];
  if (result.issues.length === 0) {
    return `✓ ${result.file}: ${labels.clean}\n`;
  }
  const pointerWidth = Math.max(...result.issues.map((issue) => issue.pointer.length || 1));
  const lines = result.issues.map((issue) => {
    const mark = issue.severity === 'error' ? '✗' : '!';
    const severity = labels[issue.severity];
    const pointer = (issue.pointer || '/').padEnd(pointerWidth);
    return `  ${mark} ${pointer}  ${issue.message[locale]}  [${severity}: ${issue.code}]`;
  });
  const mark = result.valid ? '!' : '✗';
  return `${mark} ${result.file}: ${labels.summary(result.errors, result.warnings)}\n${lines.join('\n')}\n`;
}
