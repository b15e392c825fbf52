import { resolveLocale, type Locale } from '#shared/i18n/localized';

/**
 * Everything a command touches outside itself, so tests run commands in-process with captured
 * output, a fixed clock and a fixed environment.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly now: () => Date;
  /** Resolves when a long-running command (the server) should stop; SIGINT/SIGTERM by default. */
  readonly waitForShutdown?: () => Promise<void>;
}

export function nodeCliIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
  };
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** The command ran and found a problem in what it checked (invalid code, validation error). */
  findings: 1,
  /** The command could not run: bad usage, unreadable or malformed input. */
  usage: 2,
} as const;

/** Thrown by commands for input they cannot work with; printed as one line, never a stack. */
export class CliInputError extends Error {
  override readonly name = 'CliInputError';
}

/**
 * Output language: `--lang`, then `REVIEW_DESK_LANG`, then the POSIX locale variables. Unlike the
 * workstation (zh-CN by default), a terminal with no Chinese locale gets English.
 */
export function cliLocale(flag: string | undefined, env: CliIo['env']): Locale {
  const tag = flag ?? env['REVIEW_DESK_LANG'] ?? env['LC_ALL'] ?? env['LC_MESSAGES'] ?? env['LANG'];
  return resolveLocale(tag, 'en');
}

/** Control characters, DEL, C1 controls and the bidirectional overrides and isolates. */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * A file name as the terminal may show it: line breaks, escape sequences and bidi overrides in
 * a name (a hostile upload's, a downloaded file's) would otherwise break a one-line message,
 * move the cursor or show `report‮fdp.exe` as `reportexe.pdf`. They are written as `\u{…}`.
 */
export function printableName(name: string): string {
  return name.replace(
    UNPRINTABLE,
    (character) => `\\u{${(character.codePointAt(0) ?? 0).toString(16)}}`,
  );
}
