import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { ByteRange, FileStorage } from './storage';

/** What a storage key may look like: lower case, `/`-separated, made by the server only. */
const KEY_PATTERN = /^[a-z0-9][a-z0-9/_.-]*$/;
const MAX_KEY_LENGTH = 512;

/** Raised for a key that could point outside the storage root or is not one the server makes. */
export class InvalidStorageKeyError extends Error {
  override readonly name = 'InvalidStorageKeyError';
  constructor(readonly key: string) {
    super(`invalid storage key ${JSON.stringify(key)}`);
  }
}

const isNotFound = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';

/**
 * File storage in a local directory (the default; design decision 2). Each key is a file under
 * `root`, its segments directories. Writes go to a temporary file in the target's own directory
 * which is then renamed over the target, so a reader sees either nothing or the whole file, never
 * a half-written one; temporary names contain `~`, which keys cannot, so they never collide with
 * a key. A crash can leave a `.~tmp-*` file behind: harmless, and safe to delete.
 */
export function createLocalStorage(root: string): FileStorage {
  const base = resolve(root);

  /** The absolute path of `key`, or a throw when the key is malformed or escapes the root. */
  function pathOf(key: string): string {
    if (
      key.length > MAX_KEY_LENGTH ||
      !KEY_PATTERN.test(key) ||
      key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
    ) {
      throw new InvalidStorageKeyError(key);
    }
    const path = resolve(base, ...key.split('/'));
    const inside = relative(base, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      throw new InvalidStorageKeyError(key);
    }
    return path;
  }

  function checkRange(key: string, range: ByteRange): void {
    const { start, end } = range;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new RangeError(`invalid byte range ${start}-${end} for ${key}`);
    }
  }

  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.~tmp-${randomUUID()}`;
      try {
        const handle = await open(temporary, 'wx');
        try {
          await handle.writeFile(bytes);
          // On disk before it gets its name: after a crash the key is whole or absent.
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => undefined);
        throw error;
      }
    },

    async size(key) {
      const path = pathOf(key);
      try {
        const info = await stat(path);
        return info.isFile() ? info.size : null;
      } catch (error) {
        if (isNotFound(error)) {
          return null;
        }
        throw error;
      }
    },

    read(key, range): Readable {
      const path = pathOf(key);
      if (range === undefined) {
        return createReadStream(path);
      }
      checkRange(key, range);
      return createReadStream(path, { start: range.start, end: range.end });
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
