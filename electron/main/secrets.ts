import { join } from 'node:path';
import {
  storedSessionSchema,
  type SecretProtection,
  type StoredSession,
} from '../../shared/ipc/contract';
import {
  isNotFound,
  nodeFileSystem,
  PRIVATE_DIRECTORY_MODE,
  PRIVATE_FILE_MODE,
  syncDirectory,
  writeFileAtomic,
  type FileSystem,
} from './journal';

/**
 * The signed-in session (with its refresh token) kept between starts, encrypted with Electron's
 * `safeStorage` — the operating system's keychain, DPAPI or libsecret/kwallet — in a file under
 * userData. The token never reaches IndexedDB or localStorage in the desktop app.
 */

/** The part of Electron's `safeStorage` this store uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only; Electron documents it for Linux and it must not be called elsewhere. */
  getSelectedStorageBackend(): string;
}

export interface SessionStoreOptions {
  readonly safeStorage: SafeStorageLike;
  /** `process.platform`: the keyring question only exists on Linux. */
  readonly platform: NodeJS.Platform;
  /** userData: the session file is `<directory>/session.bin`. */
  readonly directory: string;
  readonly fs?: FileSystem;
  /** Told when a stored session had to be discarded (unreadable here, or corrupt). */
  readonly onDiscarded?: (reason: string) => void;
}

/** The `session:*` channels. */
export interface SessionStore {
  /** How secrets are protected on this machine right now. */
  protection(): SecretProtection;
  /** The stored session, or null (none, unreadable here, or nothing can be decrypted). */
  load(): Promise<StoredSession | null>;
  /** Stores the session unless protection is `unavailable`; reports the protection it got. */
  save(session: StoredSession): Promise<{ protection: SecretProtection }>;
  clear(): Promise<null>;
}

/** Name of the encrypted session file under userData. */
export const SESSION_FILE_NAME = 'session.bin';

/**
 * `os` when the operating system protects the key; `basic_text` on Linux without a keyring
 * (Chromium then uses a hard-coded key: obfuscation, not protection — the renderer warns);
 * `unavailable` when `safeStorage` cannot encrypt at all.
 */
export function secretProtection(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
): SecretProtection {
  if (!safeStorage.isEncryptionAvailable()) {
    return 'unavailable';
  }
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return 'basic_text';
  }
  return 'os';
}

/** Creates the session store. */
export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const fs = options.fs ?? nodeFileSystem;
  const path = join(options.directory, SESSION_FILE_NAME);
  const protection = () => secretProtection(options.safeStorage, options.platform);

  async function discard(reason: string): Promise<void> {
    options.onDiscarded?.(reason);
    await fs.rm(path, { force: true });
  }

  return {
    protection,

    async load() {
      if (protection() === 'unavailable') {
        // Keep the file: the keyring may only be locked this time, and the next start can read it.
        return null;
      }
      let encrypted: Buffer;
      try {
        encrypted = await fs.readFile(path);
      } catch (error) {
        if (isNotFound(error)) {
          return null;
        }
        throw error;
      }
      let plainText: string;
      try {
        plainText = options.safeStorage.decryptString(encrypted);
      } catch {
        // Written on another machine or by another OS user (a copied profile), or the keyring was
        // reset: it can never be read here, so it only gets in the way of the next sign-in.
        await discard('undecryptable');
        return null;
      }
      const session = storedSessionSchema.safeParse(parseJson(plainText));
      if (!session.success) {
        await discard('invalid');
        return null;
      }
      return session.data;
    },

    async save(session) {
      const current = protection();
      if (current === 'unavailable') {
        return { protection: current };
      }
      const valid = storedSessionSchema.parse(session);
      const encrypted = options.safeStorage.encryptString(JSON.stringify(valid));
      await fs.mkdir(options.directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
      await writeFileAtomic(fs, path, encrypted, PRIVATE_FILE_MODE);
      return { protection: current };
    },

    async clear() {
      await fs.rm(path, { force: true });
      await syncDirectory(fs, options.directory);
      return null;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
