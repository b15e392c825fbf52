import {
  journalEntrySchema,
  settingsSchema,
  storedSessionSchema,
  type Bridge,
  type JournalEntry,
  type SecretProtection,
  type Settings,
  type SettingsPatch,
  type StoredSession,
} from '#shared/ipc/contract';

/**
 * An in-memory bridge for tests of the workstation's logic: the same contract as the desktop
 * shell, with a journal that survives "deleting IndexedDB" (it lives in this object).
 */
export class MemoryBridge implements Bridge {
  readonly kind = 'electron' as const;
  session_: StoredSession | null = null;
  protection_: SecretProtection = 'os';
  settings_: Settings = {
    serverUrl: 'http://review.test',
    language: 'zh-CN',
    theme: 'auto',
    fileRetentionDays: 30,
  };
  readonly journal_: JournalEntry[] = [];

  readonly app = {
    info: () => Promise.resolve({ version: 'test', platform: 'linux', kind: 'electron' as const }),
  };
  readonly settings = {
    get: () => Promise.resolve(this.settings_),
    set: (patch: SettingsPatch) => {
      this.settings_ = settingsSchema.parse({ ...this.settings_, ...patch });
      return Promise.resolve(this.settings_);
    },
  };
  readonly session = {
    load: () => Promise.resolve(this.session_),
    save: (session: StoredSession) => {
      this.session_ = storedSessionSchema.parse(session);
      return Promise.resolve({ protection: this.protection_ });
    },
    clear: () => {
      this.session_ = null;
      return Promise.resolve(null);
    },
    protection: () => Promise.resolve(this.protection_),
  };
  readonly journal = {
    append: (entry: JournalEntry) => {
      this.journal_.push(journalEntrySchema.parse(entry));
      return Promise.resolve(null);
    },
    list: ({ userId }: { userId: string }) =>
      Promise.resolve(this.journal_.filter((entry) => entry.userId === userId)),
    forget: ({ userId, mutationIds }: { userId: string; mutationIds: string[] }) => {
      const drop = new Set(mutationIds);
      for (let index = this.journal_.length - 1; index >= 0; index -= 1) {
        const entry = this.journal_[index]!;
        if (entry.userId === userId && drop.has(entry.mutationId)) {
          this.journal_.splice(index, 1);
        }
      }
      return Promise.resolve(null);
    },
  };
  readonly notify = { show: () => Promise.resolve(null) };

  onMenuCommand(): () => void {
    return () => undefined;
  }
}
