import { readFile, stat } from 'node:fs/promises';
import { CliInputError } from './io';

/**
 * Reading JSON documents from the command line, with the same one-line errors for every command:
 * a missing file, a directory, a file too large to be what the command expects, text that is not
 * JSON. Every failure is a {@link CliInputError} (exit code 2).
 */

/** Options of {@link readJsonFile}. */
export interface ReadJsonOptions {
  /** Largest file read; a larger one is refused without being read. */
  readonly maxBytes: number;
  /** What the file should be, for the size message ("a listing document"). */
  readonly noun: string;
}

/**
 * Reads and parses the JSON file at `absolutePath`; messages name it `shownName` (as the user
 * typed it). A UTF-8 byte-order mark is accepted. Any JSON value is returned, not only objects.
 */
export async function readJsonFile(
  absolutePath: string,
  shownName: string,
  options: ReadJsonOptions,
): Promise<unknown> {
  let size: number;
  try {
    const info = await stat(absolutePath);
    if (!info.isFile()) {
      throw new CliInputError(`${shownName} is not a file`);
    }
    size = info.size;
  } catch (error) {
    if (error instanceof CliInputError) {
      throw error;
    }
    throw new CliInputError(`cannot read ${shownName}: ${describeFsError(error)}`);
  }
  if (size > options.maxBytes) {
    throw new CliInputError(
      `${shownName} is ${formatMegabytes(size)}; ${options.noun} is at most ${formatMegabytes(options.maxBytes)}`,
    );
  }
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (error) {
    throw new CliInputError(`cannot read ${shownName}: ${describeFsError(error)}`);
  }
  try {
    // Editors on Windows like to start UTF-8 files with a byte-order mark; JSON.parse does not.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliInputError(`${shownName} is not valid JSON: ${reason}`);
  }
}

/** `null`, `an array`, `a number`… for messages about what a file holds. */
export function describeJsonKind(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return `a ${typeof value}`;
}

function describeFsError(error: unknown): string {
  if (error instanceof Error && 'code' in error) {
    switch (error.code) {
      case 'ENOENT':
        return 'no such file';
      case 'EACCES':
        return 'permission denied';
      case 'EISDIR':
        return 'it is a directory';
      default:
        return error.message;
    }
  }
  return String(error);
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
