import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  checkCredential,
  createOcrPipeline,
  credentialContextFor,
  DEFAULT_OCR_LIMITS,
  hasOcrExtension,
  linkedController,
  ocrErrorMessage,
  OcrError,
  type CredentialFinding,
  type DocumentKind,
  type ExtractedField,
  type OcrDocumentResult,
  type OcrPipeline,
  type OcrProgress,
} from '#shared/ocr/index';
import type { Locale } from '#shared/i18n/localized';
import { CliInputError, EXIT, printableName, type CliIo } from '../io';
import { createNodeOcrRuntime, type NodeOcrRuntimeOptions } from '../ocr/nodeRuntime';

/*
 * `review-desk ocr FILE|FOLDER… [--json]`: reads business licences and tutor certificates
 * offline, prints what they say (every value with its confidence, page and box) and the checks
 * against a listing (`--listing`), and exits 0 (all good), 1 (a check failed) or 2 (a file could
 * not be read; one line each on stderr, the other files are still read).
 */

export type ProgressMode = 'bar' | 'lines' | 'none';

export interface OcrCommandOptions {
  readonly json: boolean;
  readonly locale: Locale;
  /** Day to check expiry against (`YYYY-MM-DD`). */
  readonly today: string;
  /** A listing document (JSON) to compare with. */
  readonly listing?: string | undefined;
  /** Tesseract languages (default: the runtime's). */
  readonly languages?: readonly string[] | undefined;
  /** Workers in the OCR pool. */
  readonly jobs?: number | undefined;
  /** Use the result cache (default true). */
  readonly cache?: boolean;
  /** How to show progress for folders: a bar (TTY), plain lines, or nothing. */
  readonly progress: ProgressMode;
  /** Cancels the run (the CLI wires SIGINT to it). */
  readonly signal?: AbortSignal;
  /** Runtime overrides for tests. */
  readonly runtime?: Partial<NodeOcrRuntimeOptions>;
}

/** One entry of `--json` output, exactly this shape. */
export interface OcrJsonResult {
  readonly file: string;
  readonly kind: DocumentKind;
  readonly fields: Readonly<
    Record<
      string,
      {
        readonly value: string | null;
        readonly confidence: number;
        readonly page: number;
        readonly box: ExtractedField['box'];
      }
    >
  >;
  readonly checks: readonly CredentialFinding[];
  readonly text: string;
}

const LABELS = {
  'zh-CN': {
    kinds: {
      business_licence: '营业执照',
      tutor_certificate: '导师资格证书',
      unknown: '无法识别的文件',
    },
    fields: {
      name: '名称',
      creditCode: '统一社会信用代码',
      legalRepresentative: '法定代表人',
      registeredCapital: '注册资本',
      registeredCapitalAmount: '注册资本（元）',
      establishedOn: '成立日期',
      validFrom: '营业期限自',
      validUntil: '有效期至',
      address: '住所',
      holderName: '持证人',
      certificateNumber: '证书编号',
    } as Readonly<Record<string, string>>,
    longTerm: '长期',
    repaired: (raw: string) => `（识别为 ${raw}，已校正）`,
    noFields: '没有识别出字段',
    noChecks: '检查通过',
    cached: '缓存',
    page: '页',
    error: '错误',
    warning: '提醒',
    done: (count: number, seconds: string) => `已识别 ${count} 个文件，用时 ${seconds} 秒`,
  },
  en: {
    kinds: {
      business_licence: 'business licence',
      tutor_certificate: 'tutor certificate',
      unknown: 'unrecognised document',
    },
    fields: {
      name: 'name',
      creditCode: 'credit code',
      legalRepresentative: 'legal representative',
      registeredCapital: 'registered capital',
      registeredCapitalAmount: 'capital (CNY)',
      establishedOn: 'established on',
      validFrom: 'valid from',
      validUntil: 'valid until',
      address: 'address',
      holderName: 'holder',
      certificateNumber: 'certificate no.',
    } as Readonly<Record<string, string>>,
    longTerm: 'no end (长期)',
    repaired: (raw: string) => ` (read as ${raw}, corrected)`,
    noFields: 'no fields recognised',
    noChecks: 'checks passed',
    cached: 'cached',
    page: 'p.',
    error: 'error',
    warning: 'warning',
    done: (count: number, seconds: string) => `read ${count} files in ${seconds} s`,
  },
} as const;

interface Target {
  /** As shown to the user (the argument, or folder/name for folder entries). */
  readonly shown: string;
  readonly path: string;
}

interface Expanded {
  readonly targets: Target[];
  readonly errors: string[];
  readonly folders: number;
}

async function expandArguments(args: readonly string[], cwd: string): Promise<Expanded> {
  const targets: Target[] = [];
  const errors: string[] = [];
  let folders = 0;
  for (const argument of args) {
    const path = resolve(cwd, argument);
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      errors.push(`${printableName(argument)}: ${describeFsError(error)}`);
      continue;
    }
    if (!isDirectory) {
      targets.push({ shown: printableName(argument), path });
      continue;
    }
    folders += 1;
    const entries = await readdir(path, { withFileTypes: true });
    const files = entries
      .filter((entry) => entry.isFile() && hasOcrExtension(entry.name))
      .map((entry) => entry.name)
      .sort((a, b) => a.localeCompare(b));
    if (files.length === 0) {
      errors.push(`${printableName(argument)}: the folder holds no PDF, JPEG, PNG or WebP files`);
    }
    for (const name of files) {
      targets.push({ shown: printableName(join(argument, name)), path: join(path, name) });
    }
  }
  return { targets, errors, folders };
}

function describeFsError(error: unknown): string {
  if (error instanceof Error && 'code' in error) {
    switch (error.code) {
      case 'ENOENT':
        return 'no such file or folder';
      case 'EACCES':
        return 'permission denied';
      case 'EISDIR':
        return 'it is a folder';
      default:
        return error.message;
    }
  }
  return String(error);
}

async function readListing(path: string, shown: string): Promise<unknown> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > 5 * 1024 * 1024) {
      throw new CliInputError(`${shown} is too large to be a listing document`);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CliInputError) {
      throw error;
    }
    throw new CliInputError(`cannot read ${shown}: ${describeFsError(error)}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new CliInputError(
      `${shown} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function toJson(
  target: Target,
  result: OcrDocumentResult,
  checks: readonly CredentialFinding[],
): OcrJsonResult {
  const fields: Record<string, OcrJsonResult['fields'][string]> = {};
  for (const [name, field] of Object.entries(result.fields)) {
    fields[name] = {
      value: field.value,
      confidence: field.confidence,
      page: field.page,
      box: field.box,
    };
  }
  return { file: target.shown, kind: result.kind, fields, checks, text: result.text };
}

function formatHuman(
  target: Target,
  result: OcrDocumentResult,
  checks: readonly CredentialFinding[],
  locale: Locale,
): string {
  const labels = LABELS[locale];
  const failed = checks.some((check) => check.severity === 'error');
  const mark = failed ? '✗' : checks.length > 0 ? '!' : '✓';
  const cached = result.fromCache ? ` (${labels.cached})` : '';
  const lines = [`${mark} ${target.shown}: ${labels.kinds[result.kind]}${cached}`];
  const entries = Object.entries(result.fields);
  if (entries.length === 0) {
    lines.push(`    ${labels.noFields}`);
  }
  const width = Math.max(...entries.map(([name]) => (labels.fields[name] ?? name).length), 0);
  for (const [name, field] of entries) {
    const label = (labels.fields[name] ?? name).padEnd(width);
    const value = field.value ?? labels.longTerm;
    const repaired = field.repaired === true ? labels.repaired(field.raw) : '';
    const confidence = `${Math.round(field.confidence * 100)}%`.padStart(4);
    lines.push(`    ${label}  ${value}${repaired}  ${confidence}  ${labels.page}${field.page}`);
  }
  for (const warning of result.warnings) {
    lines.push(`  ! ${warning.message[locale]}  [${warning.code}]`);
  }
  for (const check of checks) {
    const sign = check.severity === 'error' ? '✗' : '!';
    lines.push(
      `  ${sign} ${check.message[locale]}  → ${check.listingPath}  [${labels[check.severity]}: ${check.code}]`,
    );
  }
  if (checks.length === 0 && result.kind !== 'unknown') {
    lines.push(`  ✓ ${labels.noChecks}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Progress for folders: a redrawn bar on a terminal, one line per finished file otherwise. */
function progressReporter(mode: ProgressMode, total: number, io: CliIo) {
  const fractions = new Array<number>(total).fill(0);
  let finished = 0;
  let lastDraw = '';
  const draw = (name: string) => {
    if (mode !== 'bar') {
      return;
    }
    const overall = fractions.reduce((sum, value) => sum + value, 0) / Math.max(1, total);
    const width = 24;
    const filled = Math.round(overall * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const text = `\r[${bar}] ${finished}/${total} ${Math.round(overall * 100)}% ${name}`.slice(
      0,
      120,
    );
    if (text !== lastDraw) {
      io.stderr(`${text}\u001b[K`);
      lastDraw = text;
    }
  };
  return {
    update(index: number, name: string, progress: OcrProgress) {
      fractions[index] = progress.fraction;
      draw(name);
    },
    finish(index: number, name: string, outcome: string) {
      fractions[index] = 1;
      finished += 1;
      if (mode === 'lines') {
        io.stderr(`[${finished}/${total}] ${name}: ${outcome}\n`);
      } else {
        draw(name);
      }
    },
    end() {
      if (mode === 'bar' && lastDraw !== '') {
        io.stderr('\r\u001b[K');
      }
    },
  };
}

async function mapInOrder<T, R>(
  items: readonly T[],
  limit: number,
  body: (item: T, index: number) => Promise<R>,
  onResult: (result: R, index: number) => void,
): Promise<void> {
  const results = new Map<number, R>();
  let next = 0;
  let emitted = 0;
  const flush = () => {
    while (results.has(emitted)) {
      onResult(results.get(emitted) as R, emitted);
      results.delete(emitted);
      emitted += 1;
    }
  };
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results.set(index, await body(items[index] as T, index));
      flush();
    }
  });
  await Promise.all(lanes);
}

type Outcome =
  | {
      readonly ok: true;
      readonly json: OcrJsonResult;
      readonly human: string;
      readonly failed: boolean;
    }
  | { readonly ok: false; readonly line: string };

/**
 * Runs the command; returns the exit code. Input problems with the command as a whole (a bad
 * `--listing`, missing OCR language data) throw `CliInputError` (one line, exit 2).
 */
export async function runOcrCommand(
  args: readonly string[],
  options: OcrCommandOptions,
  io: CliIo,
): Promise<number> {
  const started = performance.now();
  const listing =
    options.listing === undefined
      ? undefined
      : await readListing(resolve(io.cwd, options.listing), options.listing);
  const { targets, errors, folders } = await expandArguments(args, io.cwd);
  for (const error of errors) {
    io.stderr(`review-desk: error: ${error}\n`);
  }
  if (targets.length === 0) {
    return EXIT.usage;
  }

  let node: Awaited<ReturnType<typeof createNodeOcrRuntime>>;
  try {
    node = await createNodeOcrRuntime({
      env: io.env,
      ...(options.languages === undefined ? {} : { languages: options.languages }),
      ...(options.jobs === undefined ? {} : { workers: options.jobs }),
      cache: options.cache ?? true,
      ...options.runtime,
    });
  } catch (error) {
    if (error instanceof OcrError) {
      throw new CliInputError(`${ocrErrorMessage(error, 'en')} [${error.code}]`);
    }
    throw error;
  }
  const pipeline: OcrPipeline = createOcrPipeline(node.runtime, {
    pageConcurrency: node.pool.size,
  });
  const controller = linkedController(options.signal);
  const onSigint = () => {
    controller.abort(new OcrError('CANCELLED'));
  };
  const useSigint = options.signal === undefined;
  if (useSigint) {
    process.once('SIGINT', onSigint);
  }
  const progress = progressReporter(folders > 0 ? options.progress : 'none', targets.length, io);
  const json: OcrJsonResult[] = [];
  // Set from the per-file callbacks (an object: TypeScript does not follow closures' writes).
  const tally = { unreadable: errors.length > 0, failedChecks: false };
  try {
    await mapInOrder(
      targets,
      node.pool.size,
      async (target, index): Promise<Outcome> => {
        const name = basename(target.path);
        try {
          const info = await stat(target.path);
          if (info.size > DEFAULT_OCR_LIMITS.maxFileBytes) {
            throw new OcrError('FILE_TOO_LARGE', {
              megabytes: (info.size / 1048576).toFixed(1),
              maxMegabytes: (DEFAULT_OCR_LIMITS.maxFileBytes / 1048576).toFixed(0),
            });
          }
          const bytes = new Uint8Array(await readFile(target.path));
          const result = await pipeline.process(bytes, {
            name,
            signal: controller.signal,
            onProgress: (value) => {
              progress.update(index, name, value);
            },
          });
          const context = credentialContextFor(listing, { sha256: result.sha256 }, options.today);
          const checks = checkCredential(result, context);
          const failed = checks.some((check) => check.severity === 'error');
          progress.finish(index, name, LABELS.en.kinds[result.kind]);
          return {
            ok: true,
            json: toJson(target, result, checks),
            human: formatHuman(target, result, checks, options.locale),
            failed,
          };
        } catch (error) {
          const line =
            error instanceof OcrError
              ? `${target.shown}: ${ocrErrorMessage(error, options.locale)} [${error.code}]`
              : `${target.shown}: ${describeFsError(error)}`;
          progress.finish(index, name, 'error');
          return { ok: false, line };
        }
      },
      (outcome) => {
        if (!outcome.ok) {
          tally.unreadable = true;
          progress.end();
          io.stderr(`review-desk: error: ${outcome.line}\n`);
          return;
        }
        tally.failedChecks ||= outcome.failed;
        if (options.json) {
          json.push(outcome.json);
        } else {
          progress.end();
          io.stdout(outcome.human);
        }
      },
    );
  } finally {
    if (useSigint) {
      process.off('SIGINT', onSigint);
    }
    controller.dispose();
    progress.end();
    await node.close();
  }
  if (options.json) {
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else if (folders > 0 && options.progress !== 'none') {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    io.stderr(`${LABELS[options.locale].done(targets.length, seconds)}\n`);
  }
  if (tally.unreadable) {
    return EXIT.usage;
  }
  return tally.failedChecks ? EXIT.findings : EXIT.ok;
}
