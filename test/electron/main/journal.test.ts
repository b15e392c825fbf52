import { randomUUID } from 'node:crypto';
import {
  appendFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createJournal, nodeFileSystem, type FileSystem } from '../../../electron/main/journal';
import type { JournalEntry } from '../../../shared/ipc/contract';

let directory: string;

beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), 'review-desk-journal-')), 'journal');
});

afterEach(async () => {
  await rm(join(directory, '..'), { recursive: true, force: true });
});

const userId = randomUUID();
const clientId = randomUUID();

function entry(seq: number, overrides: Partial<JournalEntry> = {}): JournalEntry {
  return {
    env: 1,
    userId,
    clientId,
    seq,
    mutationId: randomUUID(),
    name: 'review.decide',
    v: 1,
    args: { itemId: randomUUID(), decision: 'approve', note: `决定 ${seq}` },
    base: { item: seq },
    clientCreatedAt: '2026-03-01T08:00:00.000Z',
    ...overrides,
  };
}

/** Wraps Node's fs and records every fsync of a file handle. */
function spyingFileSystem() {
  const synced: string[] = [];
  const fs: FileSystem = {
    ...nodeFileSystem,
    open: async (...args: Parameters<FileSystem['open']>) => {
      const handle = await nodeFileSystem.open(...args);
      const sync = handle.sync.bind(handle);
      handle.sync = () => {
        synced.push(String(args[0]));
        return sync();
      };
      return handle;
    },
  };
  return { fs, synced };
}

const fileOf = (id: string) => join(directory, `${id}.jsonl`);

describe('journal', () => {
  it('appends one JSON line per entry and lists them in order', async () => {
    const journal = createJournal({ directory });
    const entries = [entry(1), entry(2), entry(3)];
    for (const item of entries) {
      await journal.append(item);
    }
    const text = await readFile(fileOf(userId), 'utf8');
    expect(text.split('\n')).toHaveLength(4);
    expect(text.endsWith('\n')).toBe(true);
    expect(await journal.list(userId)).toEqual(entries);
  });

  it('fsyncs the file before append resolves', async () => {
    const { fs, synced } = spyingFileSystem();
    const journal = createJournal({ directory, fs });
    await journal.append(entry(1));
    expect(synced).toContain(fileOf(userId));
    synced.length = 0;
    await journal.append(entry(2));
    expect(synced).toEqual([fileOf(userId)]);
  });

  it('does not resolve append when the fsync fails', async () => {
    const fs: FileSystem = {
      ...nodeFileSystem,
      open: async (...args: Parameters<FileSystem['open']>) => {
        const handle = await nodeFileSystem.open(...args);
        handle.sync = () => Promise.reject(new Error('EIO'));
        return handle;
      },
    };
    await expect(createJournal({ directory, fs }).append(entry(1))).rejects.toThrow('EIO');
  });

  it('keeps the file owner-only', async () => {
    if (process.platform === 'win32') {
      return;
    }
    await createJournal({ directory }).append(entry(1));
    expect((await stat(fileOf(userId))).mode & 0o777).toBe(0o600);
  });

  it('skips a torn last line left by a crash mid-append', async () => {
    const journal = createJournal({ directory });
    const first = entry(1);
    await journal.append(first);
    const torn = JSON.stringify(entry(2)).slice(0, 40);
    await appendFile(fileOf(userId), torn);

    expect(await journal.list(userId)).toEqual([first]);

    // The next append must not be glued onto the torn fragment.
    const third = entry(3);
    await journal.append(third);
    expect(await journal.list(userId)).toEqual([first, third]);
  });

  it('skips lines that are not JSON or fail the entry schema', async () => {
    const journal = createJournal({ directory });
    const good = entry(1);
    const lines = [
      JSON.stringify(good),
      '{not json',
      JSON.stringify({ ...entry(2), env: 2 }),
      JSON.stringify({ ...entry(3), seq: 0 }),
      JSON.stringify({ ...entry(4), userId: randomUUID() }),
      '',
    ];
    await mkdir(directory, { recursive: true });
    await writeFile(fileOf(userId), `${lines.join('\n')}\n`);
    expect(await journal.list(userId)).toEqual([good]);
  });

  it('lists each mutation once when a retried append wrote it twice', async () => {
    const journal = createJournal({ directory });
    const once = entry(1);
    await journal.append(once);
    await journal.append(once);
    expect(await journal.list(userId)).toEqual([once]);
  });

  it('keeps every line intact under concurrent appends', async () => {
    const journal = createJournal({ directory });
    // Big entries make interleaved writes visible if appends were not serialized.
    const entries = Array.from({ length: 200 }, (_, index) =>
      entry(index + 1, { args: { blob: 'x'.repeat(2000 + index) } }),
    );
    await Promise.all(entries.map((item) => journal.append(item)));
    const listed = await journal.list(userId);
    expect(listed).toHaveLength(entries.length);
    expect(new Set(listed.map((item) => item.mutationId))).toEqual(
      new Set(entries.map((item) => item.mutationId)),
    );
    const lines = (await readFile(fileOf(userId), 'utf8')).split('\n').filter(Boolean);
    expect(lines).toHaveLength(entries.length);
  });

  it('keeps users apart, one file each', async () => {
    const journal = createJournal({ directory });
    const other = randomUUID();
    const mine = entry(1);
    const theirs = entry(1, { userId: other });
    await Promise.all([journal.append(mine), journal.append(theirs)]);
    expect(await journal.list(userId)).toEqual([mine]);
    expect(await journal.list(other)).toEqual([theirs]);
    expect((await readdir(directory)).sort()).toEqual([`${other}.jsonl`, `${userId}.jsonl`].sort());
  });

  it('lists nothing for a user without a journal', async () => {
    expect(await createJournal({ directory }).list(randomUUID())).toEqual([]);
  });

  describe('forget', () => {
    it('rewrites the file without the forgotten mutations, atomically and synced', async () => {
      const { fs, synced } = spyingFileSystem();
      const rename = vi.fn(nodeFileSystem.rename);
      const journal = createJournal({ directory, fs: { ...fs, rename } });
      const entries = [entry(1), entry(2), entry(3), entry(4)];
      for (const item of entries) {
        await journal.append(item);
      }
      synced.length = 0;

      await journal.forget(userId, [entries[0]!.mutationId, entries[2]!.mutationId]);

      expect(await journal.list(userId)).toEqual([entries[1], entries[3]]);
      expect(rename).toHaveBeenCalledTimes(1);
      const [from, to] = rename.mock.calls[0]!;
      expect(to).toBe(fileOf(userId));
      // The temporary file was fsynced before the rename, in the same folder.
      expect(synced).toContain(String(from));
      expect(String(from).startsWith(directory)).toBe(true);
      expect(await readdir(directory)).toEqual([`${userId}.jsonl`]);
    });

    it('keeps the original when the rewrite fails before the rename', async () => {
      const failing: FileSystem = {
        ...nodeFileSystem,
        rename: () => Promise.reject(new Error('EXDEV')),
      };
      const journal = createJournal({ directory, fs: failing });
      const entries = [entry(1), entry(2)];
      for (const item of entries) {
        await journal.append(item);
      }
      await expect(journal.forget(userId, [entries[0]!.mutationId])).rejects.toThrow('EXDEV');
      expect(await journal.list(userId)).toEqual(entries);
      expect(await readdir(directory)).toEqual([`${userId}.jsonl`]);
    });

    it('removes the file when nothing is left, and ignores unknown ids', async () => {
      const journal = createJournal({ directory });
      const only = entry(1);
      await journal.append(only);
      await journal.forget(userId, [randomUUID()]);
      expect(await journal.list(userId)).toEqual([only]);
      await journal.forget(userId, [only.mutationId]);
      expect(await readdir(directory)).toEqual([]);
      await journal.forget(userId, [only.mutationId]);
    });

    it('keeps lines of an unknown (newer) format and drops torn fragments', async () => {
      const journal = createJournal({ directory });
      const gone = entry(1);
      const future = JSON.stringify({ ...entry(2), env: 2 });
      await journal.append(gone);
      await appendFile(fileOf(userId), `${future}\n{"torn":`);
      await journal.forget(userId, [gone.mutationId]);
      expect(await readFile(fileOf(userId), 'utf8')).toBe(`${future}\n`);
    });

    it('does not lose appends made while forgetting', async () => {
      const journal = createJournal({ directory });
      const first = entry(1);
      await journal.append(first);
      const later = Array.from({ length: 20 }, (_, index) => entry(index + 2));
      await Promise.all([
        journal.forget(userId, [first.mutationId]),
        ...later.map((item) => journal.append(item)),
      ]);
      expect(new Set((await journal.list(userId)).map((item) => item.mutationId))).toEqual(
        new Set(later.map((item) => item.mutationId)),
      );
    });
  });

  describe('user ids', () => {
    it.each(['../escape', '..', 'a/b', '', 'not-a-uuid', `${randomUUID()}/../x`])(
      'refuses %j everywhere',
      async (badId) => {
        const journal = createJournal({ directory });
        await expect(journal.list(badId)).rejects.toThrow(/UUID/);
        await expect(journal.forget(badId, [])).rejects.toThrow(/UUID/);
        await expect(journal.append({ ...entry(1), userId: badId })).rejects.toThrow();
      },
    );

    it('maps an upper-case id to the same file', async () => {
      const journal = createJournal({ directory });
      const item = entry(1);
      await journal.append({ ...item, userId: userId.toUpperCase() });
      expect(await journal.list(userId)).toHaveLength(1);
      expect(await readdir(directory)).toEqual([`${userId}.jsonl`]);
    });
  });
});
