import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FieldPath, ValidationIssue } from '#shared/domain/validationIssue';
import type { ListingDraftRow } from '../../db/database';
import { NetworkError } from '../../sync/transport';
import type { Workspace } from '../../workspace/workspace';
import {
  emptyDocument,
  setAt,
  validateDraft,
  type DraftDocument,
  type ProviderChoice,
} from './draftDocument';
import {
  DraftRequestError,
  hasOpenConflicts,
  hasUnpushedChanges,
  advanceDraft,
  resolveDraftConflict,
  type DraftStore,
} from './draftStore';

/** Changes are saved this long after the last one (on the device, then on the server). */
export const AUTOSAVE_DELAY_MS = 500;
/** While the server cannot be reached, another push is tried this often. */
export const RETRY_PUSH_MS = 15_000;
/** How long a submission waits for the outbox to deliver the draft's last save. */
export const SUBMIT_WAIT_MS = 20_000;

/** Which draft the route names: a server listing, or a new one by its device key. */
export type DraftTarget =
  | { readonly kind: 'listing'; readonly listingId: string }
  | { readonly kind: 'new'; readonly key: string };

export type ServerSaveState =
  | { readonly state: 'saved'; readonly at: number }
  | { readonly state: 'pending' }
  | { readonly state: 'saving' }
  | { readonly state: 'offline' }
  /** Fields both this device and another changed: the user picks per field first. */
  | { readonly state: 'conflict'; readonly fields: number }
  | { readonly state: 'error'; readonly message: string };

export interface DraftStatus {
  /** Device time of the last save on the device, null while a change waits for it. */
  readonly localSavedAt: number | null;
  readonly server: ServerSaveState;
}

export type LoadState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly draft: ListingDraftRow }
  | { readonly status: 'failed'; readonly message: string };

export interface SubmitState {
  readonly status: 'idle' | 'submitting' | 'submitted' | 'refused';
  readonly message?: string;
}

function serverStateOf(draft: ListingDraftRow): ServerSaveState {
  if (hasOpenConflicts(draft)) {
    return { state: 'conflict', fields: draft.conflicts?.length ?? 0 };
  }
  if (draft.refusal !== null && draft.refusal !== undefined) {
    return {
      state: 'error',
      message: draft.refusal.message?.['zh-CN'] ?? draft.refusal.code,
    };
  }
  return hasUnpushedChanges(draft) || draft.pushedAt === null || draft.pending
    ? { state: 'pending' }
    : { state: 'saved', at: draft.pushedAt };
}

/**
 * The draft the editor works on: loaded from the device (or the server), changed in memory at
 * once, saved on the device `AUTOSAVE_DELAY_MS` after the last change and then pushed to the
 * server when it is reachable (again when it comes back). Issues are the shared validator's.
 */
export function useDraft(options: {
  readonly workspace: Workspace;
  readonly store: DraftStore;
  readonly target: DraftTarget;
  /** Who a new listing is for, when known (a submitter's own institution). */
  readonly defaultProvider: ProviderChoice | null;
  readonly verifiedMentorIds?: ReadonlySet<string> | undefined;
  /** Called once the server created a new listing (the route then names it). */
  readonly onCreated?: ((listingId: string) => void) | undefined;
  readonly now?: () => number;
}) {
  const { workspace, store, target, defaultProvider, verifiedMentorIds, onCreated } = options;
  const now = options.now ?? Date.now;
  const [load, setLoad] = useState<LoadState>({ status: 'loading' });
  const [status, setStatus] = useState<DraftStatus>({
    localSavedAt: null,
    server: { state: 'pending' },
  });
  const [online, setOnline] = useState(() => workspace.status().online);
  const [serverIssues, setServerIssues] = useState<readonly ValidationIssue[] | null>(null);
  const [submitState, setSubmitState] = useState<SubmitState>({ status: 'idle' });
  const draftRef = useRef<ListingDraftRow | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pushing = useRef<Promise<void> | null>(null);
  const pushAgain = useRef(false);
  const mounted = useRef(true);
  const targetKey = target.kind === 'listing' ? `listing:${target.listingId}` : `new:${target.key}`;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(
    () =>
      workspace.subscribe((next) => {
        setOnline(next.online);
      }),
    [workspace],
  );

  // Load (or start) the draft the route names; a route naming the draft already open keeps it.
  useEffect(() => {
    const open = draftRef.current;
    if (
      open !== null &&
      ((target.kind === 'listing' && open.listingId === target.listingId) ||
        (target.kind === 'new' && open.id === target.key))
    ) {
      return;
    }
    const run = { cancelled: false };
    setLoad({ status: 'loading' });
    void (async () => {
      try {
        let draft =
          target.kind === 'listing'
            ? await store.loadByListing(target.listingId)
            : await store.loadByKey(target.key);
        if (draft === undefined) {
          if (target.kind === 'listing') {
            const server = await store.fetchServerDocument(target.listingId);
            draft = {
              id: crypto.randomUUID(),
              listingId: target.listingId,
              institutionId: null,
              document: server.document,
              base: server.document,
              baseRevisionId: server.revisionId,
              baseRowVersion: server.rowVersion,
              updatedAt: now(),
              pushedAt: now(),
            };
          } else {
            draft = {
              id: target.key,
              listingId: '',
              institutionId: null,
              document: emptyDocument(defaultProvider),
              base: null,
              updatedAt: now(),
              pushedAt: null,
            };
          }
          await store.saveLocal(draft);
        }
        if (!run.cancelled) {
          draftRef.current = draft;
          setLoad({ status: 'ready', draft });
          setStatus({ localSavedAt: draft.updatedAt, server: serverStateOf(draft) });
        }
      } catch (error) {
        if (!run.cancelled) {
          setLoad({
            status: 'failed',
            message:
              error instanceof NetworkError
                ? 'offline'
                : error instanceof Error
                  ? error.message
                  : String(error),
          });
        }
      }
    })();
    return () => {
      run.cancelled = true;
    };
    // The target is identified by its key; the provider only seeds a new draft.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [targetKey, store]);

  /** The draft in memory (and on screen) becomes `next`. */
  const adopt = useCallback((next: ListingDraftRow) => {
    draftRef.current = next;
    if (mounted.current) {
      setLoad({ status: 'ready', draft: next });
      setStatus((previous) => ({ ...previous, server: serverStateOf(next) }));
    }
  }, []);

  /**
   * One step towards the server: takes in the answer to the pending `saveDraft` if the sync
   * brought it (merging on STALE_BASE), then records the next `saveDraft` (or creates the
   * listing over REST) when the draft has changes the server has not got.
   */
  const pushOnce = useCallback(async (): Promise<void> => {
    try {
      const { created } = await advanceDraft(
        store,
        { current: () => draftRef.current, adopt },
        {
          online: workspace.status().online,
          now,
          onSending: () => {
            if (mounted.current && workspace.status().online) {
              setStatus((previous) => ({ ...previous, server: { state: 'saving' } }));
            }
          },
        },
      );
      if (created !== null) {
        onCreated?.(created);
      }
    } catch (error) {
      if (!mounted.current) {
        return;
      }
      setStatus((previous) => ({
        ...previous,
        server:
          error instanceof NetworkError
            ? { state: 'offline' }
            : { state: 'error', message: error instanceof Error ? error.message : String(error) },
      }));
    }
  }, [store, onCreated, adopt, now, workspace]);

  /** One push at a time; asked again while one runs, another follows it. */
  const push = useCallback((): Promise<void> => {
    if (pushing.current !== null) {
      pushAgain.current = true;
      return pushing.current;
    }
    const run = (async () => {
      do {
        pushAgain.current = false;
        await pushOnce();
        // pushOnce awaits: a status change may have asked for another round meanwhile.
      } while ((pushAgain.current as boolean) && mounted.current);
    })().finally(() => {
      pushing.current = null;
    });
    pushing.current = run;
    return run;
  }, [pushOnce]);

  const saveNow = useCallback(async (): Promise<void> => {
    if (timer.current !== null) {
      clearTimeout(timer.current);
      timer.current = null;
    }
    const draft = draftRef.current;
    if (draft === null) {
      return;
    }
    await store.saveLocal(draft);
    if (mounted.current) {
      setStatus((previous) => ({ ...previous, localSavedAt: draft.updatedAt }));
    }
    // Offline too: an edit of a server listing waits in the outbox.
    await push();
    if (!workspace.status().online && mounted.current) {
      setStatus((previous) => ({
        ...previous,
        server:
          previous.server.state === 'conflict' || previous.server.state === 'error'
            ? previous.server
            : { state: 'offline' },
      }));
    }
  }, [store, push, workspace]);

  /** Sets the value at `path` (undefined removes it) and schedules the autosave. */
  const update = useCallback(
    (path: FieldPath, value: unknown) => {
      const draft = draftRef.current;
      if (draft === null) {
        return;
      }
      const next: ListingDraftRow = {
        ...draft,
        document: setAt(draft.document, path, value) as DraftDocument,
        updatedAt: Math.max(now(), draft.updatedAt + 1),
      };
      draftRef.current = next;
      setLoad({ status: 'ready', draft: next });
      setStatus((previous) => ({
        localSavedAt: null,
        server:
          previous.server.state === 'offline' || previous.server.state === 'conflict'
            ? previous.server
            : { state: 'pending' },
      }));
      if (timer.current !== null) {
        clearTimeout(timer.current);
      }
      timer.current = setTimeout(() => {
        timer.current = null;
        void saveNow();
      }, AUTOSAVE_DELAY_MS);
    },
    [now, saveNow],
  );

  // Saves what is pending when the editor closes (the device copy at least).
  useEffect(
    () => () => {
      if (timer.current !== null) {
        clearTimeout(timer.current);
        const draft = draftRef.current;
        if (draft !== null) {
          void store.saveLocal(draft);
        }
      }
    },
    [store],
  );

  // Each sync may bring the answer to the pending `saveDraft`.
  const loaded = load.status === 'ready';
  useEffect(() => {
    if (!loaded) {
      return;
    }
    return workspace.subscribe(() => {
      if (draftRef.current?.pending) {
        void push();
      }
    });
  }, [workspace, loaded, push]);

  // Back online (or still unsent): push; while it fails, try again now and then.
  useEffect(() => {
    if (!online || load.status !== 'ready') {
      return;
    }
    const waiting = (draft: ListingDraftRow) =>
      hasUnpushedChanges(draft) || (draft.pending !== null && draft.pending !== undefined);
    if (waiting(load.draft) && timer.current === null && pushing.current === null) {
      void push();
    }
    const retry = setInterval(() => {
      const draft = draftRef.current;
      if (draft !== null && waiting(draft) && timer.current === null) {
        void push();
      }
    }, RETRY_PUSH_MS);
    return () => {
      clearInterval(retry);
    };
    // Re-run on going online and on load, not on every edit.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [online, load.status, push]);

  const document = load.status === 'ready' ? load.draft.document : null;
  const issues = useMemo(
    () => (document === null ? [] : validateDraft(document, now(), verifiedMentorIds)),
    // `now` is read per validation; the day changes rarely enough.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [document, verifiedMentorIds],
  );

  const submit = useCallback(async (): Promise<void> => {
    if (draftRef.current !== null && hasOpenConflicts(draftRef.current)) {
      setSubmitState({ status: 'refused', message: 'conflicts' });
      return;
    }
    setSubmitState({ status: 'submitting' });
    await saveNow();
    // The last save goes through the outbox: wait for its answer (and a merge's re-save).
    const until = Date.now() + SUBMIT_WAIT_MS;
    while (workspace.status().online && Date.now() < until) {
      const waiting = draftRef.current;
      if (
        waiting === null ||
        hasOpenConflicts(waiting) ||
        ((waiting.pending ?? null) === null && !hasUnpushedChanges(waiting))
      ) {
        break;
      }
      workspace.syncNow();
      await new Promise((resolve) => setTimeout(resolve, 150));
      await push();
    }
    const draft = draftRef.current;
    if (draft !== null && hasOpenConflicts(draft)) {
      setSubmitState({ status: 'refused', message: 'conflicts' });
      return;
    }
    if (
      draft === null ||
      draft.listingId === '' ||
      hasUnpushedChanges(draft) ||
      (draft.pending !== null && draft.pending !== undefined)
    ) {
      setSubmitState({ status: 'refused', message: 'unsaved' });
      return;
    }
    try {
      await store.submit(draft.listingId);
      setServerIssues(null);
      setSubmitState({ status: 'submitted' });
    } catch (error) {
      if (error instanceof DraftRequestError && error.status === 422) {
        setServerIssues(error.issues());
        setSubmitState({ status: 'refused', message: 'invalid' });
      } else {
        setSubmitState({
          status: 'refused',
          message:
            error instanceof NetworkError
              ? 'offline'
              : error instanceof Error
                ? error.message
                : String(error),
        });
      }
    }
  }, [saveNow, store, push, workspace]);

  /** Picks `mine` or `theirs` for the conflict at `path`; the last one picked sends the draft. */
  const resolve = useCallback(
    async (path: string, choice: 'mine' | 'theirs'): Promise<void> => {
      const draft = draftRef.current;
      if (draft === null) {
        return;
      }
      const next = resolveDraftConflict(draft, path, choice, now());
      adopt(next);
      await store.saveLocal(next);
      if (!hasOpenConflicts(next)) {
        await push();
      }
    },
    [adopt, now, store, push],
  );

  const conflicts = load.status === 'ready' ? (load.draft.conflicts ?? []) : [];
  return {
    load,
    status,
    online,
    issues,
    serverIssues,
    submitState,
    conflicts,
    update,
    saveNow,
    submit,
    resolve,
  };
}
