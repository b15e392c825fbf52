import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalStorage } from '../../../server/src/files/localStorage';
import type { FileStorage } from '../../../server/src/files/storage';

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Every file under `dir`, relative, `/`-separated. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .replaceAll('\\', '/'),
    )
    .sort();
}

const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);
const KEY = 'institutions/00000000-0000-4000-8000-000000000001/listings/abc/0123456789abcdef';

describe('createLocalStorage', () => {
  let parent: string;
  let root: string;
  let storage: FileStorage;

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'review-desk-storage-'));
    root = join(parent, 'files');
    storage = createLocalStorage(root);
  });

  afterEach(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('stores, sizes and reads back bytes, creating directories', async () => {
    await storage.put(KEY, bytes('hello, 营业执照'));
    expect(await storage.size(KEY)).toBe(Buffer.byteLength('hello, 营业执照'));
    expect((await collect(storage.read(KEY))).toString('utf8')).toBe('hello, 营业执照');
    expect(await listFiles(root)).toEqual([KEY]);
  });

  it('reads an inclusive byte range', async () => {
    await storage.put('a/b', bytes('0123456789'));
    expect((await collect(storage.read('a/b', { start: 2, end: 5 }))).toString()).toBe('2345');
    expect((await collect(storage.read('a/b', { start: 9, end: 9 }))).toString()).toBe('9');
    expect((await collect(storage.read('a/b', { start: 0, end: 9 }))).toString()).toBe(
      '0123456789',
    );
  });

  it('refuses nonsensical ranges', async () => {
    await storage.put('a/b', bytes('0123456789'));
    expect(() => storage.read('a/b', { start: 5, end: 2 })).toThrow(RangeError);
    expect(() => storage.read('a/b', { start: -1, end: 2 })).toThrow(RangeError);
    expect(() => storage.read('a/b', { start: 0.5, end: 2 })).toThrow(RangeError);
  });

  it('says null for the size of a missing key, and a missing read errors on the stream', async () => {
    expect(await storage.size('nothing/here')).toBeNull();
    await expect(collect(storage.read('nothing/here'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('replaces a key whole and leaves no temporary files behind', async () => {
    await storage.put('x/y', bytes('first version'));
    await storage.put('x/y', bytes('second'));
    expect((await collect(storage.read('x/y'))).toString()).toBe('second');
    expect(await listFiles(root)).toEqual(['x/y']);
  });

  it('survives concurrent writes of one key', async () => {
    const payload = bytes('same bytes '.repeat(10_000));
    await Promise.all(Array.from({ length: 8 }, () => storage.put('c/k', payload)));
    expect(await storage.size('c/k')).toBe(payload.length);
    expect(await listFiles(root)).toEqual(['c/k']);
  });

  it('cleans its temporary file when the rename fails', async () => {
    await storage.put('d/e/f', bytes('inside'));
    // 'd/e' is a directory now, so the rename over it fails.
    await expect(storage.put('d/e', bytes('clash'))).rejects.toThrow();
    expect(await listFiles(root)).toEqual(['d/e/f']);
  });

  it('deletes idempotently', async () => {
    await storage.put('g/h', bytes('bye'));
    await storage.delete('g/h');
    expect(await storage.size('g/h')).toBeNull();
    await storage.delete('g/h');
    await storage.delete('never/was');
  });

  it.each([
    '',
    '/etc/passwd',
    '../outside',
    'a/../../outside',
    'a/..',
    'a/./b',
    'a//b',
    'a/b/',
    'A/b',
    'a\\b',
    '.hidden',
    '-dash',
    'a/b c',
    'a/b\u0000c',
    'a/%2e%2e/b',
    'a/b.~tmp-1',
    'x'.repeat(600),
  ])('refuses the key %j', async (key) => {
    await expect(storage.put(key, bytes('x'))).rejects.toThrow(/invalid storage key/);
    await expect(storage.size(key)).rejects.toThrow(/invalid storage key/);
    await expect(storage.delete(key)).rejects.toThrow(/invalid storage key/);
    expect(() => storage.read(key)).toThrow(/invalid storage key/);
  });

  it('never writes outside its root', async () => {
    await writeFile(join(parent, 'outside'), 'keep me');
    await expect(storage.put('../outside', bytes('overwritten'))).rejects.toThrow();
    expect((await readdir(parent)).sort()).toEqual(['outside']);
  });

  it('allows the characters server-made keys use', async () => {
    await storage.put('homework/3f0c-ab_9.x/0a', bytes('ok'));
    expect(await storage.size('homework/3f0c-ab_9.x/0a')).toBe(2);
  });
});
