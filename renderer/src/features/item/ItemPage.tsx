/* eslint-disable react-hooks/refs, react-hooks/immutability --
 * The React Compiler rules cannot see that the review store's actions and the shortcut handlers
 * (wrapped by `quiet()`) read refs and the store only when called from events, never in render. */
import {
  Alert,
  Anchor,
  Button,
  Center,
  Grid,
  Group,
  Loader,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
} from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { ZodType } from 'zod';
import { useStore } from 'zustand';
import { getValueAt, type JsonValue } from '#shared/diff/patch';
import { isRecord } from '#shared/domain/listing/document';
import { can, isListingState, type ListingState } from '#shared/domain/listing/lifecycle';
import { validateListing } from '#shared/domain/listing/validate';
import { shanghaiDate } from '#shared/domain/time';
import { toJsonPointer, type ValidationIssue } from '#shared/domain/validationIssue';
import { MUTATION_ARGS, type MutationName } from '#shared/sync/mutations';
import type { ReviewItemRecord } from '#shared/sync/rows';
import { itemView } from '#shared/sync/view';
import { formatServerTime, useNow } from '../../app/format';
import { ITEM_TABS, navigate, routeHref, type ItemTab } from '../../app/routing';
import { useShortcuts, type Shortcut } from '../../app/shortcuts';
import { toPending } from '../../db/outbox';
import { useLocale } from '../../i18n/useLocale';
import { findKindModule } from '../../kinds/registry';
import type { Workspace } from '../../workspace/workspace';
import { ChangesTab } from '../diff/ChangesTab';
import { kindLabel, stateLabel } from '../labels';
import { useQueueNeighbours } from '../queue/queueOrder';
import { useSyncStatus } from '../status/hooks';
import { FilesTab } from '../viewer/FilesTab';
import { buildComments, draftComments, openComments, type CommentView } from './comments';
import {
  ApproveConfirm,
  DecisionPanel,
  holderText,
  RejectForm,
  type DecisionActions,
} from './DecisionPanel';
import { anchorDomId, listingAnchors, resolveAnchor, sectionOf, type Section } from './fields';
import { HistoryTab } from './HistoryTab';
import './itemPage.css';
import { ListingView } from './ListingView';
import { OpsPanel, TakedownForm } from './OpsPanel';
import {
  isReviewed,
  markReviewed,
  nextField,
  nextUnreviewed,
  unmarkReviewed,
  useReviewedMarks,
  valueHash,
} from './reviewedMarks';
import { createReviewStore, type ReviewState } from './reviewStore';
import { ItemRowsNotice } from './ItemRowsNotice';
import { useItemData } from './useItemData';
import { useItemRows } from './useItemRows';
import { useItemTimeTracking } from './useTimeTracking';

type Dialog =
  | { readonly kind: 'reject'; readonly path: string | null }
  | { readonly kind: 'approve' }
  | { readonly kind: 'takedown'; readonly force: boolean };

const isItemTab = (value: string | null): value is ItemTab =>
  value !== null && (ITEM_TABS as readonly string[]).includes(value);

/** Whether a modal dialog is open (page shortcuts then stay quiet). */
const modalOpen = () => document.querySelector('[role="dialog"][aria-modal="true"]') !== null;

const EMPTY_MARKS: ReadonlyMap<string, string> = new Map();

/**
 * One review item, opened from the queue or from a link (`#/items/{itemId}`): the listing with
 * field comments, findings and reviewed marks; the changes, files and history tabs; the decision
 * column (claim, approve, reject) and, for ops managers, assignment and takedowns. Keyboard
 * first: every action has a shortcut, listed in the `?` overlay.
 */
export function ItemPage(props: {
  readonly workspace: Workspace;
  readonly itemId: string;
  readonly tab: ItemTab;
}) {
  const { t } = useTranslation();
  const { db } = props.workspace;
  const { itemId } = props;
  // Wrapped so "not loaded yet" (undefined) differs from "not on this device" ({ item: undefined }).
  const loaded = useLiveQuery(
    async () => ({
      item: (await db.mirror('review_items').get(itemId)) as ReviewItemRecord | undefined,
    }),
    [db, itemId],
  );
  const KindView =
    loaded?.item === undefined ? undefined : findKindModule(loaded.item.kind)?.ItemView;
  if (loaded === undefined) {
    return (
      <Center mih={200}>
        <Loader aria-label={t('itemPage.loading')} />
      </Center>
    );
  }
  if (KindView !== undefined && loaded.item !== undefined) {
    // The kind brings its own page (homework grades on the grading page).
    return <KindView key={itemId} workspace={props.workspace} itemId={itemId} item={loaded.item} />;
  }
  // A fresh page per item: forms, the composer and focus never leak into the next item.
  return <ItemPageBody key={itemId} {...props} />;
}

function ItemPageBody({
  workspace,
  itemId,
  tab,
}: {
  readonly workspace: Workspace;
  readonly itemId: string;
  readonly tab: ItemTab;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { db, session } = workspace;
  const { user } = session;
  const status = useSyncStatus(workspace);
  const now = useNow(15_000);
  const serverNow = now + status.serverOffsetMs;
  const today = shanghaiDate(serverNow);
  const data = useItemData(db, itemId);
  // The listing document and history may still be on the server (deferred bootstrap); a
  // successful pull means the server is reachable again, so a failed download is retried.
  const itemRows = useItemRows(workspace, itemId, status.lastPullOkAt);
  const neighbours = useQueueNeighbours(workspace, itemId);
  const item = data?.item ?? null;
  const listingId = item?.subjectId ?? null;
  const marks = useReviewedMarks(db, listingId) ?? EMPTY_MARKS;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const reviewRole = user.role === 'reviewer' || user.role === 'ops_manager';
  const isListing = item?.kind === 'listing_revision';
  const canComment = reviewRole && isListing;

  const record = useCallback(
    async (name: MutationName, args: unknown): Promise<boolean> => {
      const parsed = (MUTATION_ARGS[name] as ZodType).safeParse(args);
      if (!parsed.success) {
        setError(parsed.error.message);
        return false;
      }
      try {
        setError(null);
        await workspace.record(name, parsed.data);
        return true;
      } catch (failure) {
        setError(failure instanceof Error ? failure.message : String(failure));
        return false;
      }
    },
    [workspace],
  );

  useItemTimeTracking(workspace, itemId, reviewRole && item !== null);

  // ---- The listing under review: anchors, hashes, findings, comments -----------------------
  const doc = data?.revision?.document;
  const anchors = useMemo(() => (isRecord(doc) ? listingAnchors(doc) : []), [doc]);
  const anchorPaths = useMemo(() => anchors.map((anchor) => anchor.path), [anchors]);
  const hashes = useMemo(
    () =>
      new Map(
        anchors.map((anchor) => [
          anchor.path,
          valueHash(getValueAt(doc as JsonValue, anchor.path)),
        ]),
      ),
    [anchors, doc],
  );
  const mentors = data?.mentors;
  const verifiedMentorIds = useMemo(() => {
    if (mentors === undefined || mentors.size === 0) {
      return undefined;
    }
    return new Set([...mentors].filter(([, info]) => info.verified).map(([id]) => id));
  }, [mentors]);
  const issues = useMemo(
    () => (isRecord(doc) ? validateListing(doc, { today, verifiedMentorIds }) : []),
    [doc, today, verifiedMentorIds],
  );
  const comments = useMemo(
    () =>
      data === undefined
        ? []
        : buildComments({
            itemId,
            userId: user.id,
            rows: data.comments,
            outbox: data.outbox,
            results: data.results,
          }),
    [data, itemId, user.id],
  );
  const placement = useMemo(() => {
    const known = new Set(anchorPaths);
    const issuesBy = new Map<string, ValidationIssue[]>();
    const commentsBy = new Map<string, CommentView[]>();
    const leftovers = new Map<
      Section | null,
      { issues: ValidationIssue[]; comments: CommentView[] }
    >();
    const leftover = (section: Section | null) => {
      let entry = leftovers.get(section);
      if (entry === undefined) {
        entry = { issues: [], comments: [] };
        leftovers.set(section, entry);
      }
      return entry;
    };
    const push = <T,>(map: Map<string, T[]>, key: string, value: T) => {
      const list = map.get(key) ?? [];
      list.push(value);
      map.set(key, list);
    };
    for (const issue of issues) {
      const path = toJsonPointer(issue.path);
      const anchor = resolveAnchor(path, known);
      if (anchor === null) {
        leftover(known.size === 0 ? null : sectionOf(path)).issues.push(issue);
      } else {
        push(issuesBy, anchor, issue);
      }
    }
    for (const comment of comments) {
      const anchor = resolveAnchor(comment.path, known);
      if (anchor === null) {
        leftover(known.size === 0 ? null : sectionOf(comment.path)).comments.push(comment);
      } else {
        push(commentsBy, anchor, comment);
      }
    }
    return {
      issues: issuesBy,
      comments: commentsBy,
      leftovers,
    };
  }, [anchorPaths, issues, comments]);
  const userNames = useMemo(
    () => new Map([...(data?.users.values() ?? [])].map((entry) => [entry.id, entry.displayName])),
    [data?.users],
  );

  // ---- The store the field anchors read ----------------------------------------------------
  const latest = useRef({ listingId, record, hashes, itemId, t });
  const lastField = useRef<string | null>(null);
  const [store] = useState(() =>
    createReviewStore({
      itemId,
      doc: undefined,
      issues: new Map(),
      comments: new Map(),
      leftovers: new Map(),
      hashes: new Map(),
      marks: new Map(),
      composerPath: null,
      focusedPath: null,
      canComment: false,
      canMark: false,
      userNames: new Map(),
      actions: {
        openComposer: (path) => {
          lastField.current = path;
          store.setState({ composerPath: path });
        },
        closeComposer: () => {
          const path = store.getState().composerPath;
          store.setState({ composerPath: null });
          if (path !== null) {
            document.getElementById(anchorDomId(path))?.focus();
          }
        },
        toggleReviewed: (path) => {
          const current = latest.current;
          const hash = current.hashes.get(path);
          if (current.listingId === null || hash === undefined) {
            return;
          }
          const reviewed = isReviewed(store.getState().marks.get(path), hash);
          const done = reviewed
            ? unmarkReviewed(db, current.listingId, path)
            : markReviewed(db, current.listingId, path, hash);
          done.catch((failure: unknown) => {
            console.error('saving a reviewed mark failed', failure);
          });
        },
        submitComment: async (path, reasonCode, text) => {
          const saved = await latest.current.record('comment', {
            itemId: latest.current.itemId,
            path,
            text,
            reasonCode,
          });
          if (saved) {
            store.setState({ composerPath: null });
            document.getElementById(anchorDomId(path))?.focus();
            setNotice(latest.current.t('itemPage.notices.commentSaved'));
          }
          return saved;
        },
      },
    }),
  );
  useLayoutEffect(() => {
    latest.current = { listingId, record, hashes, itemId, t };
  }, [listingId, record, hashes, itemId, t]);
  useLayoutEffect(() => {
    const next: Partial<ReviewState> = {
      doc,
      issues: placement.issues,
      comments: placement.comments,
      leftovers: placement.leftovers,
      hashes,
      marks,
      canComment,
      canMark: canComment,
      userNames,
    };
    store.setState(next);
  }, [store, doc, placement, hashes, marks, canComment, userNames]);
  const composerOpen = useStore(store, (state) => state.composerPath !== null);
  const anchorFocused = useStore(store, (state) => state.focusedPath !== null);

  // ---- Item state, permissions, decisions ----------------------------------------------------
  const pending = useMemo(() => (data?.outbox ?? []).map(toPending), [data?.outbox]);
  const view = useMemo(
    () =>
      item === null
        ? null
        : itemView(item, {
            userId: user.id,
            pending,
            results: data?.results ?? [],
            serverNow,
          }),
    [item, user.id, pending, data?.results, serverNow],
  );
  const drafts = useMemo(() => draftComments(comments), [comments]);
  const myDrafts = useMemo(() => drafts.filter((comment) => comment.mine), [drafts]);
  const open = useMemo(() => openComments(comments), [comments]);
  const carried = useMemo(
    () => ({
      changed: comments.filter((comment) => comment.carried === 'changed').length,
      unchanged: comments.filter((comment) => comment.carried === 'unchanged').length,
    }),
    [comments],
  );
  const finalDecision = useMemo(
    () =>
      [...(data?.decisions ?? [])]
        .filter((decision) => decision.isFinal)
        .sort((a, b) => b.decidedAt.localeCompare(a.decidedAt))[0],
    [data?.decisions],
  );

  const itemOpen = item !== null && (item.state === 'pending' || item.state === 'in_review');
  const decided =
    view !== null &&
    (view.decision.kind === 'saved' ||
      view.decision.kind === 'syncing' ||
      view.decision.kind === 'synced');
  const mayDecide = reviewRole && isListing && itemOpen && !decided && view?.heldByOther !== true;

  const requestApprove = useCallback(() => {
    if (open.mine + open.carriedUnchanged > 0) {
      setDialog({ kind: 'approve' });
      return;
    }
    void record('approve', { itemId }).then((saved) => {
      if (saved) {
        setNotice(t('itemPage.notices.approved'));
      }
    });
  }, [open, record, itemId, t]);

  const approveWithComments = useCallback(() => {
    setDialog(null);
    const withComments = myDrafts.map((comment) => ({
      path: comment.path,
      reasonCode: comment.reasonCode,
      text: comment.text,
    }));
    void record(
      'approve',
      withComments.length > 0 ? { itemId, comments: withComments } : { itemId },
    ).then((saved) => {
      if (saved) {
        setNotice(t('itemPage.notices.approved'));
      }
    });
  }, [myDrafts, record, itemId, t]);

  const actions: DecisionActions = useMemo(() => {
    if (view === null || !mayDecide) {
      return {};
    }
    return {
      ...(!view.heldByMe
        ? {
            claim: () => {
              void record('claim', { itemId }).then((saved) => {
                if (saved) {
                  setNotice(t('itemPage.notices.claimed'));
                }
              });
            },
          }
        : {
            release: () => {
              void record('release', { itemId });
            },
          }),
      approve: requestApprove,
      reject: () => {
        setDialog({ kind: 'reject', path: store.getState().focusedPath ?? lastField.current });
      },
    };
  }, [view, mayDecide, record, itemId, requestApprove, t, store]);

  // ---- Ops ---------------------------------------------------------------------------------
  const listing = data?.listing ?? null;
  const listingState: ListingState | null =
    listing !== null && isListingState(listing.state) ? listing.state : null;
  const reviewState: ListingState | null =
    item?.state === 'pending' ? 'pending' : item?.state === 'in_review' ? 'in_review' : null;
  const pendingOps = useMemo(
    () =>
      (data?.outbox ?? []).filter(
        (row) =>
          ['assign', 'takedown', 'forceTakedown'].includes(row.name) &&
          typeof row.args === 'object' &&
          row.args !== null &&
          (('itemId' in row.args && row.args.itemId === itemId) ||
            ('listingId' in row.args && row.args.listingId === listingId)),
      ),
    [data?.outbox, itemId, listingId],
  );
  const takedownPending = pendingOps.some((row) => row.name !== 'assign');
  const canAssign =
    isListing && reviewState !== null && can(user.role, 'assign', reviewState) && !decided;
  const canTakedown =
    listingState === 'live' && can(user.role, 'take_offline', 'live') && !takedownPending;
  const canForceTakedown =
    listingState === 'live' && can(user.role, 'force_takedown', 'live') && !takedownPending;
  const pendingOpLines = pendingOps.map((row) => {
    const args = row.args as Record<string, unknown>;
    const assignee = typeof args['assigneeId'] === 'string' ? args['assigneeId'] : '';
    return row.name === 'assign'
      ? t('itemPage.ops.pendingAssign', { name: userNames.get(assignee) ?? t('itemPage.someone') })
      : t(`itemPage.ops.pending.${row.name === 'forceTakedown' ? 'force' : 'takedown'}`);
  });

  // ---- Keyboard ----------------------------------------------------------------------------
  const focusField = useCallback((path: string | null): boolean => {
    if (path === null) {
      return false;
    }
    const element = document.getElementById(anchorDomId(path));
    if (element === null) {
      return false;
    }
    element.focus();
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent in jsdom
    element.scrollIntoView?.({ block: 'nearest' });
    return true;
  }, []);

  const currentField = useCallback(
    () => store.getState().focusedPath ?? lastField.current,
    [store],
  );

  type FieldAction = 'next' | 'previous' | 'nextUnreviewed' | 'previousUnreviewed' | 'comment';
  const pendingFieldAction = useRef<FieldAction | null>(null);
  const runFieldAction = useCallback(
    (action: FieldAction) => {
      const state = store.getState();
      const reviewed = (path: string) => isReviewed(state.marks.get(path), state.hashes.get(path));
      const from = currentField();
      let target: string | null;
      switch (action) {
        case 'next':
          target = nextField(anchorPaths, from);
          break;
        case 'previous':
          target = nextField(anchorPaths, from, undefined, -1);
          break;
        case 'nextUnreviewed':
          target = nextUnreviewed(anchorPaths, from, reviewed);
          if (target === null && anchorPaths.length > 0) {
            setNotice(t('itemPage.notices.allReviewed'));
          }
          break;
        case 'previousUnreviewed':
          target = nextUnreviewed(anchorPaths, from, reviewed, -1);
          if (target === null && anchorPaths.length > 0) {
            setNotice(t('itemPage.notices.allReviewed'));
          }
          break;
        case 'comment':
          target = from ?? anchorPaths[0] ?? null;
          if (target !== null && canComment) {
            state.actions.openComposer(target);
          }
          return;
      }
      if (focusField(target)) {
        lastField.current = target;
      }
    },
    [store, currentField, anchorPaths, focusField, canComment, t],
  );
  useEffect(() => {
    const action = pendingFieldAction.current;
    if (tab === 'listing' && action !== null && anchorPaths.length > 0) {
      pendingFieldAction.current = null;
      runFieldAction(action);
    }
  }, [tab, anchorPaths, runFieldAction]);

  const fieldAction = useCallback(
    (action: FieldAction) => {
      if (tab === 'listing') {
        runFieldAction(action);
      } else {
        pendingFieldAction.current = action;
        navigate({ name: 'item', itemId, tab: 'listing' });
      }
    },
    [tab, runFieldAction, itemId],
  );

  const shortcuts = useMemo<Shortcut[]>(() => {
    const group = t('itemPage.shortcuts.group');
    const quiet = (run: () => void) => (): void => {
      if (!modalOpen()) {
        run();
      }
    };
    const unavailable = () => {
      setNotice(t('itemPage.notices.unavailable'));
    };
    const goTo = (target: string | null, missing: string) => {
      if (target === null) {
        setNotice(missing);
      } else {
        navigate({ name: 'item', itemId: target, tab });
      }
    };
    const list: Shortcut[] = [
      {
        keys: 'j',
        description: t('itemPage.shortcuts.next'),
        group,
        run: quiet(() => {
          goTo(neighbours.next, t('itemPage.notices.noNext'));
        }),
      },
      {
        keys: 'k',
        description: t('itemPage.shortcuts.previous'),
        group,
        run: quiet(() => {
          goTo(neighbours.previous, t('itemPage.notices.noPrevious'));
        }),
      },
      {
        keys: 'c',
        description: t('itemPage.shortcuts.claim'),
        group,
        run: quiet(() => {
          (actions.claim ?? unavailable)();
        }),
      },
      {
        keys: 'a',
        description: t('itemPage.shortcuts.approve'),
        group,
        run: quiet(() => {
          (actions.approve ?? unavailable)();
        }),
      },
      {
        keys: 'r',
        description: t('itemPage.shortcuts.reject'),
        group,
        run: quiet(() => {
          (actions.reject ?? unavailable)();
        }),
      },
      {
        keys: 'm',
        description: t('itemPage.shortcuts.comment'),
        group,
        enabled: canComment,
        run: quiet(() => {
          fieldAction('comment');
        }),
      },
      {
        keys: 'n',
        description: t('itemPage.shortcuts.nextField'),
        group,
        enabled: isListing,
        run: quiet(() => {
          fieldAction('next');
        }),
      },
      {
        keys: 'shift+n',
        description: t('itemPage.shortcuts.previousField'),
        group,
        enabled: isListing,
        run: quiet(() => {
          fieldAction('previous');
        }),
      },
      {
        keys: 'u',
        description: t('itemPage.shortcuts.nextUnreviewed'),
        group,
        enabled: isListing,
        run: quiet(() => {
          fieldAction('nextUnreviewed');
        }),
      },
      {
        keys: 'shift+u',
        description: t('itemPage.shortcuts.previousUnreviewed'),
        group,
        enabled: isListing,
        run: quiet(() => {
          fieldAction('previousUnreviewed');
        }),
      },
      {
        keys: 'space',
        description: t('itemPage.shortcuts.markReviewed'),
        group,
        // Only on a field: elsewhere Space presses buttons and scrolls, as it always does.
        enabled: canComment && anchorFocused,
        run: quiet(() => {
          const path = store.getState().focusedPath;
          if (path !== null) {
            store.getState().actions.toggleReviewed(path);
          }
        }),
      },
      ...ITEM_TABS.map((target, index): Shortcut => ({
        keys: String(index + 1),
        description: t('itemPage.shortcuts.tab', { tab: t(`itemPage.tabs.${target}`) }),
        group,
        run: quiet(() => {
          navigate({ name: 'item', itemId, tab: target });
        }),
      })),
      {
        keys: 'escape',
        description: t('itemPage.shortcuts.close'),
        group,
        inInputs: true,
        enabled: composerOpen,
        run: () => {
          store.getState().actions.closeComposer();
        },
      },
    ];
    return list;
  }, [
    t,
    neighbours,
    tab,
    actions,
    canComment,
    isListing,
    anchorFocused,
    composerOpen,
    fieldAction,
    store,
    itemId,
  ]);
  useShortcuts(shortcuts);

  const onFocusIn = (event: FocusEvent<HTMLDivElement>) => {
    const target = event.target;
    const path =
      target instanceof HTMLElement && target.dataset['testid'] === 'field-anchor'
        ? (target.dataset['fieldPath'] ?? null)
        : null;
    if (path !== null) {
      lastField.current = path;
    }
    if (store.getState().focusedPath !== path) {
      store.setState({ focusedPath: path });
    }
  };
  const onFocusOut = (event: FocusEvent<HTMLDivElement>) => {
    if (
      !(event.relatedTarget instanceof Node) ||
      !event.currentTarget.contains(event.relatedTarget)
    ) {
      store.setState({ focusedPath: null });
    }
  };

  const showField = useCallback(
    (path: string) => {
      const anchor = resolveAnchor(path, new Set(anchorPaths));
      if (tab !== 'listing') {
        lastField.current = anchor;
        pendingFieldAction.current = null;
        navigate({ name: 'item', itemId, tab: 'listing' });
        return;
      }
      focusField(anchor);
    },
    [anchorPaths, tab, itemId, focusField],
  );

  // ---- Render --------------------------------------------------------------------------------
  if (data === undefined) {
    return (
      <Center p="xl">
        <Loader aria-label={t('itemPage.loading')} />
      </Center>
    );
  }
  if (item === null || view === null) {
    return (
      <Stack gap="md">
        <Title order={2} size="h3">
          {t('itemPage.title')}
        </Title>
        <Alert color="orange" role="alert">
          {t('itemPage.notFound')}
        </Alert>
        <Anchor href={routeHref({ name: 'queue', itemId: null })}>
          {t('itemPage.backToQueue')}
        </Anchor>
      </Stack>
    );
  }

  const reviewedCount = anchorPaths.filter((path) =>
    isReviewed(marks.get(path), hashes.get(path)),
  ).length;
  const revision = data.revision;
  const holder = holderText(view, { userId: user.id, users: data.users, locale, serverNow, t });
  const neighbourLink = (target: string | null, label: string, keys: string) =>
    target === null ? (
      <Button size="xs" variant="default" disabled aria-keyshortcuts={keys}>
        {label}
      </Button>
    ) : (
      <Button
        size="xs"
        variant="default"
        component="a"
        href={routeHref({ name: 'item', itemId: target, tab })}
        aria-keyshortcuts={keys}
      >
        {label}
      </Button>
    );

  return (
    <Stack gap="md" data-testid="item-page" data-item-id={item.id}>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Anchor href={routeHref({ name: 'queue', itemId: null })} size="sm">
            {t('itemPage.backToQueue')}
          </Anchor>
          <Title order={2} size="h3" className="rd-title">
            {item.title}
          </Title>
          <Text size="sm" c="dimmed">
            {[
              kindLabel(item.kind, t),
              stateLabel(item.state, t),
              revision?.number === null || revision === null
                ? null
                : t('itemPage.revision', { number: revision.number }),
              item.institutionName,
              item.dueAt === null
                ? null
                : t('itemPage.due', { time: formatServerTime(item.dueAt, locale, serverNow) }),
            ]
              .filter((part) => part !== null && part !== '')
              .join(' · ')}
          </Text>
        </Stack>
        <Group gap="xs" role="group" aria-label={t('itemPage.neighbours')}>
          {neighbourLink(neighbours.previous, t('itemPage.previousItem'), 'k')}
          {neighbourLink(neighbours.next, t('itemPage.nextItem'), 'j')}
        </Group>
      </Group>
      {error !== null && (
        <Alert
          color="red"
          role="alert"
          withCloseButton
          closeButtonLabel={t('itemPage.dismiss')}
          onClose={() => {
            setError(null);
          }}
        >
          {t('itemPage.recordFailed', { detail: error })}
        </Alert>
      )}
      <Text size="sm" role="status" aria-live="polite" data-testid="item-notice" mih={20}>
        {notice ?? ''}
      </Text>
      <ItemRowsNotice state={itemRows.state} onRetry={itemRows.retry} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Tabs
            value={tab}
            keepMounted={false}
            onChange={(value) => {
              if (isItemTab(value)) {
                navigate({ name: 'item', itemId, tab: value });
              }
            }}
          >
            <Tabs.List aria-label={t('itemPage.tabs.label')}>
              {ITEM_TABS.map((value, index) => (
                <Tabs.Tab key={value} value={value} aria-keyshortcuts={String(index + 1)}>
                  {t(`itemPage.tabs.${value}`)}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            <Tabs.Panel value="listing" pt="md">
              {isListing ? (
                <div onFocus={onFocusIn} onBlur={onFocusOut}>
                  <ListingView
                    store={store}
                    doc={doc}
                    locale={locale}
                    onDate={today}
                    mentors={data.mentors}
                    itemId={itemId}
                  />
                </div>
              ) : (
                <Alert color="blue">
                  {t('itemPage.otherKind')}{' '}
                  <Anchor href={routeHref({ name: 'queue', itemId })}>
                    {t('itemPage.openInQueue')}
                  </Anchor>
                </Alert>
              )}
            </Tabs.Panel>
            <Tabs.Panel value="changes" pt="md">
              <ChangesTab workspace={workspace} itemId={itemId} />
            </Tabs.Panel>
            <Tabs.Panel value="files" pt="md">
              <FilesTab workspace={workspace} itemId={itemId} />
            </Tabs.Panel>
            <Tabs.Panel value="history" pt="md">
              <HistoryTab data={data} userId={user.id} serverNow={serverNow} />
            </Tabs.Panel>
          </Tabs>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md" className="rd-side">
            <DecisionPanel
              view={view}
              decision={finalDecision}
              actions={actions}
              holder={holder}
              locale={locale}
              serverNow={serverNow}
              users={data.users}
              drafts={myDrafts}
              carried={carried}
              reviewed={reviewedCount}
              totalFields={anchorPaths.length}
              onShowField={showField}
            />
            <OpsPanel
              listing={listing}
              locale={locale}
              users={data.users}
              currentHolderId={item.claim?.reviewerId ?? null}
              canAssign={canAssign}
              canTakedown={canTakedown}
              canForceTakedown={canForceTakedown}
              pendingOps={pendingOpLines}
              onAssign={(assigneeId) => {
                void record('assign', { itemId, assigneeId }).then((saved) => {
                  if (saved) {
                    setNotice(
                      t('itemPage.notices.assigned', {
                        name: userNames.get(assigneeId) ?? t('itemPage.someone'),
                      }),
                    );
                  }
                });
              }}
              onTakedown={() => {
                setDialog({ kind: 'takedown', force: false });
              }}
              onForceTakedown={() => {
                setDialog({ kind: 'takedown', force: true });
              }}
            />
          </Stack>
        </Grid.Col>
      </Grid>
      {dialog?.kind === 'reject' && (
        <RejectForm
          item={item}
          comments={[...drafts, ...comments.filter((comment) => comment.carried !== null)]}
          fields={anchorPaths}
          initialPath={dialog.path}
          locale={locale}
          onClose={() => {
            setDialog(null);
          }}
          onSubmit={async (args) => {
            const saved = await record('reject', args);
            if (saved) {
              setNotice(t('itemPage.notices.rejected'));
            }
            return saved;
          }}
        />
      )}
      {dialog?.kind === 'approve' && (
        <ApproveConfirm
          mine={open.mine}
          carriedUnchanged={open.carriedUnchanged}
          onConfirm={approveWithComments}
          onClose={() => {
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'takedown' && listingId !== null && (
        <TakedownForm
          force={dialog.force}
          listingName={listing?.name ?? item.title}
          onClose={() => {
            setDialog(null);
          }}
          onSubmit={async (reason) => {
            const saved = await record(dialog.force ? 'forceTakedown' : 'takedown', {
              listingId,
              reason,
            });
            if (saved) {
              setNotice(t('itemPage.notices.takedownSaved'));
            }
            return saved;
          }}
        />
      )}
    </Stack>
  );
}
