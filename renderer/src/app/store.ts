import type { i18n as I18n } from 'i18next';
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Locale } from '#shared/i18n/localized';
import type { Bridge, MenuCommand, Theme } from '#shared/ipc/contract';
import {
  resumeSession as realResumeSession,
  signIn as realSignIn,
  type Session,
  type SignInFailure,
} from '../session/session';
import type { SyncStatus } from '../sync/engine';
import type { FetchLike } from '../sync/transport';
import type { Workspace } from '../workspace/workspace';
import { downloadText, pendingExportFileName } from './download';
import { navigate } from './routing';

/**
 * The workstation's UI state (zustand): who is signed in, the language and theme, and the
 * sign-out prompt. Review data never lives here — components read it from the user's Dexie
 * database with live queries, and sync progress from the workspace's status.
 */

/** Everything the app needs from its host; tests pass fakes. */
export interface AppDeps {
  readonly bridge: Bridge;
  readonly fetch: FetchLike;
  readonly i18n: I18n;
  /** Opens the signed-in user's local database and sync (`openWorkspace` with browser deps). */
  openWorkspace(session: Session): Promise<Workspace>;
  /** Unsynced decisions in a user's local database, without opening their workspace. */
  countPending(userId: string): Promise<number>;
  /** The page's origin: in web mode the review server serves the workstation itself. */
  readonly origin: string;
  /** Saves a text file for the user (a download in the browser). */
  readonly download?: (fileName: string, text: string) => void;
  /** Whether the system prefers a dark theme (for `toggle-theme` when the theme is `auto`). */
  readonly prefersDark?: () => boolean;
  readonly signIn?: typeof realSignIn;
  readonly resumeSession?: typeof realResumeSession;
  readonly now?: () => Date;
}

/** Shown on the sign-in page when the session ended by itself (refresh token expired). */
export interface SessionEndedNotice {
  readonly username: string;
  /** Unsynced decisions kept in that user's local database. */
  readonly pending: number;
}

export type AuthState =
  | { readonly kind: 'starting' }
  | {
      readonly kind: 'signed_out';
      /** Prefilled username. */
      readonly username: string;
      readonly notice: SessionEndedNotice | null;
    }
  | { readonly kind: 'signed_in'; readonly workspace: Workspace };

/** Why signing in did not reach the workstation. */
export type SignInProblem =
  SignInFailure | { readonly code: 'open_failed'; readonly detail: string };

export interface SignInInput {
  readonly serverUrl: string;
  readonly username: string;
  readonly password: string;
}

export interface AppState {
  /** The host the workstation runs in (constant for the app's life). */
  readonly host: { readonly bridge: Bridge; readonly origin: string };
  readonly locale: Locale;
  readonly theme: Theme;
  /** The review server in the settings (the page's origin in web mode). */
  readonly serverUrl: string;
  readonly auth: AuthState;
  /** Open while the user is asked to confirm signing out with unsynced decisions. */
  readonly signOutPrompt: { readonly pending: number } | null;

  /** Picks up the stored session: opens the workspace, or shows the sign-in page. */
  readonly start: () => Promise<void>;
  readonly signIn: (input: SignInInput) => Promise<SignInProblem | null>;
  /** Signs out, asking first when decisions are not synced yet. */
  readonly requestSignOut: () => Promise<void>;
  /**
   * Signs out now. With decisions not sent yet (or conflicts not looked at), the local database
   * stays for the user's next sign-in; otherwise it is deleted with everything cached in it.
   */
  readonly signOut: () => Promise<void>;
  readonly cancelSignOut: () => void;
  readonly setLocale: (locale: Locale) => Promise<void>;
  readonly setTheme: (theme: Theme) => Promise<void>;
  readonly toggleTheme: () => Promise<void>;
  /** Saves another review server; signs out first when signed in. */
  readonly changeServerUrl: (serverUrl: string) => Promise<void>;
  /** Downloads the signed-in user's unconfirmed decisions as JSON. */
  readonly exportPending: () => Promise<void>;
  /** Saves a text file for the user (a download). */
  readonly saveFile: (fileName: string, text: string) => void;
  readonly handleMenuCommand: (command: MenuCommand) => void;
}

export type AppStore = StoreApi<AppState>;

export interface InitialSettings {
  readonly locale: Locale;
  readonly theme: Theme;
  readonly serverUrl: string;
}

/**
 * Whether signing out must keep the user's local database: decisions still to send, or
 * conflicts and rejections the user has not dismissed yet (they exist only here once answered).
 * When it cannot be told, keep: losing work is worse than keeping a cache.
 */
async function hasWorkToKeep(workspace: Workspace): Promise<boolean> {
  try {
    const pending = await workspace.db.outbox.count();
    const unseen = await workspace.db.results
      .where('dismissed')
      .equals(0)
      .filter((result) => result.status === 'conflict' || result.status === 'rejected')
      .count();
    return pending + unseen > 0;
  } catch {
    return true;
  }
}

export function createAppStore(deps: AppDeps, initial: InitialSettings): AppStore {
  const signIn = deps.signIn ?? realSignIn;
  const resumeSession = deps.resumeSession ?? realResumeSession;
  const download = deps.download ?? downloadText;
  const now = deps.now ?? (() => new Date());
  /** Stops watching the open workspace's status. */
  let unwatch: (() => void) | null = null;
  /** The workspace being closed because the session ended (guards repeated status events). */
  let ending: Workspace | null = null;

  return createStore<AppState>()((set, get) => {
    const signedOut = (username = '', notice: SessionEndedNotice | null = null) => {
      set({ auth: { kind: 'signed_out', username, notice }, signOutPrompt: null });
    };

    const closeWorkspace = async (workspace: Workspace) => {
      unwatch?.();
      unwatch = null;
      await workspace.close().catch((error: unknown) => {
        console.error('closing the workspace failed', error);
      });
    };

    /** The engine could not refresh the session any more: back to sign-in, keeping the data. */
    const sessionEnded = async (workspace: Workspace) => {
      if (ending === workspace) {
        return;
      }
      ending = workspace;
      const pending = await workspace.db.outbox.count().catch(() => 0);
      await closeWorkspace(workspace);
      ending = null;
      const { user } = workspace.session;
      signedOut(user.username, { username: user.username, pending });
    };

    const enter = async (session: Session) => {
      const workspace = await deps.openWorkspace(session);
      unwatch = workspace.subscribe((status: SyncStatus) => {
        if (status.phase === 'signed_out') {
          void sessionEnded(workspace);
        }
      });
      set({ auth: { kind: 'signed_in', workspace }, signOutPrompt: null });
      if (window.location.hash === '' || window.location.hash === '#') {
        navigate({ name: 'queue', itemId: null });
      }
    };

    const saveSettings = async (patch: Parameters<Bridge['settings']['set']>[0]) => {
      try {
        await deps.bridge.settings.set(patch);
      } catch (error) {
        // The choice still applies for this run; only remembering it failed.
        console.error('saving settings failed', error);
      }
    };

    return {
      host: { bridge: deps.bridge, origin: deps.origin },
      locale: initial.locale,
      theme: initial.theme,
      serverUrl: initial.serverUrl,
      auth: { kind: 'starting' },
      signOutPrompt: null,

      start: async () => {
        let resumed;
        try {
          resumed = await resumeSession({ bridge: deps.bridge, fetch: deps.fetch });
        } catch (error) {
          console.error('resuming the session failed', error);
          signedOut();
          return;
        }
        switch (resumed.kind) {
          case 'none':
            signedOut();
            return;
          case 'expired': {
            const pending = await deps.countPending(resumed.stored.userId).catch(() => 0);
            signedOut(resumed.stored.username, { username: resumed.stored.username, pending });
            return;
          }
          case 'online':
          case 'offline':
            try {
              await enter(resumed.session);
            } catch (error) {
              console.error('opening the workspace failed', error);
              signedOut(resumed.session.user.username);
            }
            return;
        }
      },

      signIn: async (input) => {
        const answer = await signIn({
          serverUrl: input.serverUrl,
          username: input.username,
          password: input.password,
          bridge: deps.bridge,
          fetch: deps.fetch,
        });
        if (!answer.ok) {
          return answer.failure;
        }
        const { session } = answer;
        if (session.serverUrl !== get().serverUrl) {
          await saveSettings({ serverUrl: session.serverUrl });
          set({ serverUrl: session.serverUrl });
        }
        try {
          // Another user's session never reaches this user's database: each user has their own.
          await enter(session);
        } catch (error) {
          await session.signOut().catch(() => undefined);
          return {
            code: 'open_failed',
            detail: error instanceof Error ? error.message : String(error),
          };
        }
        return null;
      },

      requestSignOut: async () => {
        const { auth } = get();
        if (auth.kind !== 'signed_in') {
          return;
        }
        const pending = await auth.workspace.db.outbox.count().catch(() => 0);
        if (pending > 0) {
          set({ signOutPrompt: { pending } });
          return;
        }
        await get().signOut();
      },

      signOut: async () => {
        const { auth } = get();
        if (auth.kind !== 'signed_in') {
          return;
        }
        const { workspace } = auth;
        set({ signOutPrompt: null });
        const keep = await hasWorkToKeep(workspace);
        await closeWorkspace(workspace);
        if (!keep) {
          await workspace.discardLocalData().catch((error: unknown) => {
            console.error('deleting the local data failed', error);
          });
        }
        await workspace.session.signOut().catch((error: unknown) => {
          console.error('signing out failed', error);
        });
        signedOut();
      },

      cancelSignOut: () => {
        set({ signOutPrompt: null });
      },

      setLocale: async (locale) => {
        set({ locale });
        document.documentElement.lang = locale;
        await deps.i18n.changeLanguage(locale);
        await saveSettings({ language: locale });
      },

      setTheme: async (theme) => {
        set({ theme });
        await saveSettings({ theme });
      },

      toggleTheme: async () => {
        const { theme } = get();
        const dark = theme === 'dark' || (theme === 'auto' && (deps.prefersDark?.() ?? false));
        await get().setTheme(dark ? 'light' : 'dark');
      },

      changeServerUrl: async (serverUrl) => {
        await saveSettings({ serverUrl });
        // Set before signing out, so the sign-in page opens with the new address.
        set({ serverUrl });
        if (get().auth.kind === 'signed_in') {
          await get().signOut();
        }
      },

      exportPending: async () => {
        const { auth } = get();
        if (auth.kind !== 'signed_in') {
          return;
        }
        download(pendingExportFileName(now()), await auth.workspace.exportPending());
      },

      saveFile: (fileName, text) => {
        download(fileName, text);
      },

      handleMenuCommand: (command) => {
        const { auth } = get();
        switch (command) {
          case 'sync-now':
            if (auth.kind === 'signed_in') {
              auth.workspace.syncNow();
            }
            return;
          case 'open-settings':
            navigate({ name: 'settings' });
            return;
          case 'open-conflicts':
            navigate({ name: 'conflicts' });
            return;
          case 'open-queue':
            navigate({ name: 'queue', itemId: null });
            return;
          case 'sign-out':
            void get().requestSignOut();
            return;
          case 'toggle-theme':
            void get().toggleTheme();
            return;
        }
      },
    };
  });
}

export const AppStoreContext = createContext<AppStore | null>(null);

function useAppStoreApi(): AppStore {
  const store = useContext(AppStoreContext);
  if (store === null) {
    throw new Error('useAppStore needs an <AppStoreContext.Provider>');
  }
  return store;
}

/** Reads a slice of the app state and re-renders when it changes. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}

/** The signed-in user's workspace; only for components rendered inside the shell. */
export function useWorkspace(): Workspace {
  const auth = useAppStore((state) => state.auth);
  if (auth.kind !== 'signed_in') {
    throw new Error('useWorkspace is only available while signed in');
  }
  return auth.workspace;
}
