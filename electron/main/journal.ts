import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { journalEntrySchema, type JournalEntry } from '../../shared/ipc/contract';

/**
 * The outbox journal (sync research §2.5 rule 1, §4.1): every decision the workstation records
 * in IndexedDB is also appended here, outside the browser's storage, because Electron can wipe
 * IndexedDB on a runtime downgrade or a failed update. One JSON-lines file per user, under
 * `userData/journal/<userId>.jsonl`. Appends are fsynced before they resolve; a crash mid-append
 * leaves at most one torn last line, which reads skip. The server deduplicates by `mutationId`,
 * so re-sending a journaled entry that was already applied is harmless.
 */

/**
 * The file-system calls the journal and the secrets store make, as one object so tests can wrap
 * them (to see that `sync` really ran, or to fail a step on purpose).
 */
export interface FileSystem {
  readonly open: typeof open;
  readonly rename: typeof rename;
  readonly rm: typeof rm;
  readonly mkdir: typeof mkdir;
  readonly readFile: typeof readFile;
}

/** Node's own `fs/promises`. */
export const nodeFileSystem: FileSystem = { open, rename, rm, mkdir, readFile };

/** Owner-only: the journal holds review decisions, the session file a refresh token. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIRECTORY_MODE = 0o700;

export interface JournalOptions {
  /** The journal folder, `userData/journal`. */
  readonly directory: string;
  readonly fs?: FileSystem;
}

export interface Journal {
  /** Appends one entry as one line; resolves only once the line is on disk (fsync). */
  append(entry: JournalEntry): Promise<void>;
  /**
   * Every intact entry of the user, in append order, first occurrence per `mutationId` (a retried
   * append may have written one twice). Torn, unparseable or invalid lines are skipped.
   */
  list(userId: string): Promise<JournalEntry[]>;
  /** Atomically rewrites the user's file without these mutations (acknowledged by the server). */
  forget(userId: string, mutationIds: readonly string[]): Promise<void>;
}

const userIdSchema = z.uuid();
const NEWLINE = 0x0a;

/** Creates the journal over `options.directory` (created on first append). */
export function createJournal(options: JournalOptions): Journal {
  const fs = options.fs ?? nodeFileSystem;
  const directory = options.directory;
  /** One operation at a time per user: appends never interleave with a rewrite by `forget`. */
  const queues = new Map<string, Promise<unknown>>();

  function serialized<T>(userId: string, operation: () => Promise<T>): Promise<T> {
    const previous = queues.get(userId) ?? Promise.resolve();
    const next = previous.then(operation, operation);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    queues.set(userId, settled);
    void settled.then(() => {
      if (queues.get(userId) === settled) {
        queues.delete(userId);
      }
    });
    return next;
  }

  function fileOf(userId: string): string {
    return join(directory, `${userId}.jsonl`);
  }

  async function readLines(path: string): Promise<string[] | null> {
    let content: string;
    try {
      content = await fs.readFile(path, 'utf8');
    } catch (error) {
      if (isNotFound(error)) {
        return null;
      }
      throw error;
    }
    const lines = content.split('\n');
    // Whatever follows the last newline is either '' or a line torn by a crash mid-append.
    lines.pop();
    return lines;
  }

  return {
    // Async, so that invalid input rejects like every other failure instead of throwing.
    async append(entry) {
      const valid = journalEntrySchema.parse(entry);
      const userId = normalizeUserId(valid.userId);
      const line = `${JSON.stringify(valid)}\n`;
      await serialized(userId, async () => {
        await fs.mkdir(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
        const handle = await fs.open(fileOf(userId), 'a+', PRIVATE_FILE_MODE);
        let created = false;
        try {
          const { size } = await handle.stat();
          created = size === 0;
          let prefix = '';
          if (size > 0) {
            // A crash may have left a torn last line: end it first, or this entry would be glued
            // onto it and be lost with it. The torn fragment then reads as one invalid line.
            const last = Buffer.alloc(1);
            await handle.read(last, 0, 1, size - 1);
            if (last[0] !== NEWLINE) {
              prefix = '\n';
            }
          }
          await handle.write(prefix + line);
          await handle.sync();
        } finally {
          await handle.close();
        }
        if (created) {
          await syncDirectory(fs, directory);
        }
      });
    },

    async list(userId) {
      const id = normalizeUserId(userId);
      return await serialized(id, async () => {
        const lines = await readLines(fileOf(id));
        const entries: JournalEntry[] = [];
        const seen = new Set<string>();
        for (const line of lines ?? []) {
          const entry = parseEntry(line);
          if (entry === null || normalizeUserId(entry.userId) !== id) {
            continue;
          }
          const mutationId = entry.mutationId.toLowerCase();
          if (!seen.has(mutationId)) {
            seen.add(mutationId);
            entries.push(entry);
          }
        }
        return entries;
      });
    },

    async forget(userId, mutationIds) {
      const id = normalizeUserId(userId);
      const forgotten = new Set(mutationIds.map((mutationId) => mutationId.toLowerCase()));
      await serialized(id, async () => {
        const path = fileOf(id);
        const lines = await readLines(path);
        if (lines === null || forgotten.size === 0) {
          return;
        }
        const kept = lines.filter((line) => {
          const value = parseJson(line);
          if (value === undefined) {
            // Unparseable: the remains of a torn append. Rewriting is the moment to drop them.
            return false;
          }
          const entry = journalEntrySchema.safeParse(value);
          // Lines of a format this version does not know are kept: a newer app wrote them.
          return !entry.success || !forgotten.has(entry.data.mutationId.toLowerCase());
        });
        if (kept.length === lines.length) {
          return;
        }
        if (kept.length === 0) {
          await fs.rm(path, { force: true });
          await syncDirectory(fs, directory);
          return;
        }
        await writeFileAtomic(
          fs,
          path,
          kept.map((line) => `${line}\n`).join(''),
          PRIVATE_FILE_MODE,
        );
      });
    },
  };
}

/**
 * Validates a user id before it becomes part of a file name: only a UUID, so it can never name
 * a file outside the journal folder. Lower-cased, so one user always maps to one file.
 */
export function normalizeUserId(userId: string): string {
  if (!userIdSchema.safeParse(userId).success) {
    throw new RangeError('The journal user id must be a UUID');
  }
  return userId.toLowerCase();
}

function parseJson(line: string): unknown {
  if (line.trim() === '') {
    return undefined;
  }
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined;
  }
}

function parseEntry(line: string): JournalEntry | null {
  const value = parseJson(line);
  if (value === undefined) {
    return null;
  }
  const parsed = journalEntrySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * Replaces `path` with `data` so that a crash leaves either the old or the new content, never a
 * mix: write a temporary file beside it (same folder, so the rename cannot cross devices), fsync
 * it, rename it over the target, then fsync the folder so the rename itself is durable.
 */
export async function writeFileAtomic(
  fs: FileSystem,
  path: string,
  data: string | Uint8Array,
  mode: number,
): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temporary, 'wx', mode);
  try {
    await handle.writeFile(data);
    // `open`'s mode is filtered by the umask; these files must be owner-only regardless.
    await handle.chmod(mode);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(fs, dirname(path));
}

/**
 * Makes a create, rename or unlink in `directory` durable. Best effort: Windows cannot open a
 * folder for fsync (NTFS journals the rename anyway), and some file systems refuse it.
 */
export async function syncDirectory(fs: FileSystem, directory: string): Promise<void> {
  if (process.platform === 'win32') {
    return;
  }
  try {
    const handle = await fs.open(directory, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The data itself was already synced; only the directory entry's durability is at stake.
  }
}

/** True for Node's "no such file" error. */
export function isNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT'
  );
}
