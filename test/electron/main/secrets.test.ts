import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import {
  createSessionStore,
  secretProtection,
  SESSION_FILE_NAME,
  type SafeStorageLike,
} from '../../../electron/main/secrets';
import type { StoredSession } from '../../../shared/ipc/contract';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'review-desk-secrets-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

/**
 * A stand-in for `safeStorage`: "encrypts" with a per-instance key (XOR plus a tag), so a second
 * instance with another key fails to decrypt, like another machine or OS user would.
 */
interface FakeSafeStorage extends SafeStorageLike {
  encryptString: Mock<(plainText: string) => Buffer>;
  getSelectedStorageBackend: Mock<() => string>;
}

function fakeSafeStorage(
  options: { available?: boolean; backend?: string; key?: number } = {},
): FakeSafeStorage {
  const key = options.key ?? 0x5a;
  const tag = Buffer.from([0xde, key]);
  return {
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: vi.fn(() => options.backend ?? 'gnome_libsecret'),
    encryptString: vi.fn((plainText: string) =>
      Buffer.concat([tag, Buffer.from(plainText, 'utf8').map((byte) => byte ^ key)]),
    ),
    decryptString: (encrypted: Buffer) => {
      if (!encrypted.subarray(0, 2).equals(tag)) {
        throw new Error(
          'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
        );
      }
      return Buffer.from(encrypted.subarray(2).map((byte) => byte ^ key)).toString('utf8');
    },
  };
}

const session: StoredSession = {
  serverUrl: 'http://127.0.0.1:8787',
  userId: randomUUID(),
  username: 'reviewer1',
  displayName: '审核员一',
  role: 'reviewer',
  refreshToken: 'rt_super-secret-refresh-token',
};

const sessionFile = () => join(directory, SESSION_FILE_NAME);

describe('secretProtection', () => {
  it('is os when the OS keystore encrypts', () => {
    expect(secretProtection(fakeSafeStorage(), 'darwin')).toBe('os');
    expect(secretProtection(fakeSafeStorage(), 'win32')).toBe('os');
    expect(secretProtection(fakeSafeStorage({ backend: 'kwallet6' }), 'linux')).toBe('os');
  });

  it('is basic_text on Linux without a keyring', () => {
    expect(secretProtection(fakeSafeStorage({ backend: 'basic_text' }), 'linux')).toBe(
      'basic_text',
    );
  });

  it('asks for the Linux backend only on Linux', () => {
    const storage = fakeSafeStorage({ backend: 'basic_text' });
    expect(secretProtection(storage, 'darwin')).toBe('os');
    expect(storage.getSelectedStorageBackend).not.toHaveBeenCalled();
  });

  it('is unavailable when encryption is not available', () => {
    expect(secretProtection(fakeSafeStorage({ available: false }), 'linux')).toBe('unavailable');
    expect(secretProtection(fakeSafeStorage({ available: false }), 'darwin')).toBe('unavailable');
  });
});

describe('session store', () => {
  it('saves encrypted and loads the session back', async () => {
    const store = createSessionStore({
      safeStorage: fakeSafeStorage(),
      platform: 'linux',
      directory,
    });
    expect(await store.save(session)).toEqual({ protection: 'os' });
    const raw = await readFile(sessionFile());
    expect(raw.toString('utf8')).not.toContain(session.refreshToken);
    expect(await store.load()).toEqual(session);
  });

  it('writes the file owner-only and leaves no temporary files', async () => {
    const store = createSessionStore({
      safeStorage: fakeSafeStorage(),
      platform: 'linux',
      directory,
    });
    await store.save(session);
    await store.save({ ...session, refreshToken: 'rt_rotated' });
    expect(await readdir(directory)).toEqual([SESSION_FILE_NAME]);
    if (process.platform !== 'win32') {
      expect((await stat(sessionFile())).mode & 0o777).toBe(0o600);
    }
    expect((await store.load())?.refreshToken).toBe('rt_rotated');
  });

  it('stores with basic_text on Linux without a keyring, and says so', async () => {
    const store = createSessionStore({
      safeStorage: fakeSafeStorage({ backend: 'basic_text' }),
      platform: 'linux',
      directory,
    });
    expect(store.protection()).toBe('basic_text');
    expect(await store.save(session)).toEqual({ protection: 'basic_text' });
    expect(await store.load()).toEqual(session);
  });

  it('refuses to store when encryption is unavailable, and loads nothing', async () => {
    const safeStorage = fakeSafeStorage({ available: false });
    const store = createSessionStore({ safeStorage, platform: 'linux', directory });
    expect(store.protection()).toBe('unavailable');
    expect(await store.save(session)).toEqual({ protection: 'unavailable' });
    expect(safeStorage.encryptString).not.toHaveBeenCalled();
    expect(await readdir(directory)).toEqual([]);
    expect(await store.load()).toBeNull();
  });

  it('keeps an existing file while encryption is only temporarily unavailable', async () => {
    await createSessionStore({ safeStorage: fakeSafeStorage(), platform: 'linux', directory }).save(
      session,
    );
    const locked = createSessionStore({
      safeStorage: fakeSafeStorage({ available: false }),
      platform: 'linux',
      directory,
    });
    expect(await locked.load()).toBeNull();
    expect(await readdir(directory)).toEqual([SESSION_FILE_NAME]);
  });

  it('treats a file from another machine or user as no session and deletes it', async () => {
    await createSessionStore({
      safeStorage: fakeSafeStorage({ key: 0x11 }),
      platform: 'linux',
      directory,
    }).save(session);
    const onDiscarded = vi.fn();
    const here = createSessionStore({
      safeStorage: fakeSafeStorage({ key: 0x22 }),
      platform: 'linux',
      directory,
      onDiscarded,
    });
    expect(await here.load()).toBeNull();
    expect(onDiscarded).toHaveBeenCalledWith('undecryptable');
    expect(await readdir(directory)).toEqual([]);
  });

  it('treats a decryptable but invalid session as none and deletes it', async () => {
    const safeStorage = fakeSafeStorage();
    await writeFile(sessionFile(), safeStorage.encryptString(JSON.stringify({ userId: 'nope' })));
    const store = createSessionStore({ safeStorage, platform: 'linux', directory });
    expect(await store.load()).toBeNull();
    expect(await readdir(directory)).toEqual([]);
  });

  it('loads null when there is no session file', async () => {
    const store = createSessionStore({
      safeStorage: fakeSafeStorage(),
      platform: 'darwin',
      directory,
    });
    expect(await store.load()).toBeNull();
  });

  it('clears the session, also when there is none', async () => {
    const store = createSessionStore({
      safeStorage: fakeSafeStorage(),
      platform: 'win32',
      directory,
    });
    await store.save(session);
    expect(await store.clear()).toBeNull();
    expect(await store.load()).toBeNull();
    expect(await store.clear()).toBeNull();
    expect(await readdir(directory)).toEqual([]);
  });

  it('creates the userData folder when it does not exist yet', async () => {
    const nested = join(directory, 'fresh', 'userData');
    const store = createSessionStore({
      safeStorage: fakeSafeStorage(),
      platform: 'linux',
      directory: nested,
    });
    await store.save(session);
    expect(await store.load()).toEqual(session);
  });
});
