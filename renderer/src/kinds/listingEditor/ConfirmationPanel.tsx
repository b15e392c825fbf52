import { Alert, Button, Group, List, Stack, Text, Textarea } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import { deepEqual } from '#shared/diff/patch';
import type { ValidationIssue } from '#shared/domain/validationIssue';
import type { Locale } from '#shared/i18n/localized';
import { formatServerTime } from '../../app/format';
import { NetworkError } from '../../sync/transport';
import type { Workspace } from '../../workspace/workspace';
import { DraftRequestError } from './draftStore';
import { useEditor } from './fields';
import { createListingApi, refusalIssues, type ListingApi, type ListingStatus } from './listingApi';
import { useEditorT, type EditorT } from './text';

/** Who sends an assisted draft to the institution (server/src/listings/confirmation.ts). */
const REQUESTERS: ReadonlySet<string> = new Set(['assistant', 'collaborator']);
const MAX_TEXT = 2000;
/** How often an open request is looked at again, for the other side's answer. */
const POLL_MS = 15_000;

type Failure =
  | { readonly kind: 'issues'; readonly issues: readonly ValidationIssue[] }
  | { readonly kind: 'message'; readonly text: string };

function failureOf(error: unknown, t: EditorT): Failure {
  const issues = refusalIssues(error).filter((issue) => issue.severity === 'error');
  if (issues.length > 0) {
    return { kind: 'issues', issues };
  }
  if (error instanceof NetworkError) {
    return { kind: 'message', text: t('listingEditor.confirmation.offline') };
  }
  if (error instanceof DraftRequestError) {
    const known: Record<string, string> = {
      CONFIRMATION_PENDING: t('listingEditor.confirmation.alreadyPending'),
      NO_CONFIRMATION_PENDING: t('listingEditor.confirmation.nothingPending'),
      NOT_A_DRAFT: t('listingEditor.confirmation.notDraft'),
    };
    return {
      kind: 'message',
      text: known[error.code] ?? t('listingEditor.confirmation.failed', { reason: error.message }),
    };
  }
  return {
    kind: 'message',
    text: t('listingEditor.confirmation.failed', { reason: String(error) }),
  };
}

/**
 * Assisted entry's confirmation in the editor (issue 11): an assistant (or collaborator) sends
 * the draft to the institution; while it waits the editor is read-only for them with a banner;
 * the institution's submitter confirms it (which submits it for review) or returns it with a
 * comment, which the assistant then sees here. Needs the server (a request is no offline edit).
 */
export function ConfirmationPanel({
  workspace,
  listingId,
  locale,
  saved,
  saveNow,
  onLockedChange,
  onRefused,
  api: givenApi,
}: {
  readonly workspace: Workspace;
  /** The server's listing id; '' while the draft is only on this device. */
  readonly listingId: string;
  readonly locale: Locale;
  /** Whether the server has the draft as typed (nothing waits to be saved). */
  readonly saved: boolean;
  readonly saveNow: () => Promise<void>;
  /** The editor is read-only while this is true (waiting for confirmation, or confirmed). */
  readonly onLockedChange: (locked: boolean) => void;
  /** The server refused with validation issues: the editor shows every message at its field. */
  readonly onRefused: () => void;
  readonly api?: ListingApi;
}) {
  const t = useEditorT();
  const role = workspace.session.user.role;
  const [api] = useState(() => givenApi ?? createListingApi(workspace));
  const [status, setStatus] = useState<ListingStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [message, setMessage] = useState('');
  const [comment, setComment] = useState('');
  const [done, setDone] = useState<'sent' | 'confirmed' | 'returned' | null>(null);
  const editor = useEditor();
  /**
   * The submitter's device may keep an older copy of the draft (opened before the assistant
   * changed and re-sent it): what waits for confirmation is the server's document, so the
   * editor shows that one (once per request, and only when nothing typed here waits to be saved).
   */
  const latest = useRef({ doc: editor.doc, saved, update: editor.update });
  useEffect(() => {
    latest.current = { doc: editor.doc, saved, update: editor.update };
  });
  const adoptedFor = useRef<string | null>(null);
  const [adopted, setAdopted] = useState(false);

  // Each bump reads the listing's status again (after an action, on reconnect, while waiting).
  const [reads, setReads] = useState(0);
  const refresh = useCallback(() => {
    setReads((count) => count + 1);
  }, []);
  useEffect(() => {
    if (listingId === '') {
      return;
    }
    let cancelled = false;
    api.status(listingId).then(
      (next) => {
        if (cancelled) {
          return;
        }
        setStatus(next);
        const open = next.confirmation?.status === 'requested' ? next.confirmation : null;
        const { doc, saved: nothingUnsaved, update } = latest.current;
        if (
          role === 'submitter' &&
          open !== null &&
          next.document !== null &&
          nothingUnsaved &&
          adoptedFor.current !== open.id
        ) {
          adoptedFor.current = open.id;
          if (!deepEqual(next.document, doc)) {
            update([], next.document);
            setAdopted(true);
          }
        }
      },
      // Offline or refused: the panel keeps what it knew (the editor says offline already).
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api, listingId, reads, role]);
  // Back online: read it again (the status changes often while syncing; only the reconnect counts).
  useEffect(() => {
    let online = workspace.status().online;
    return workspace.subscribe((next) => {
      if (next.online && !online) {
        refresh();
      }
      online = next.online;
    });
  }, [refresh, workspace]);

  const confirmation = status?.confirmation ?? null;
  const waiting = confirmation?.status === 'requested';
  const requester = REQUESTERS.has(role);
  const submitted = status !== null && status.state !== 'draft' && status.state !== 'rejected';
  const locked = (requester && waiting) || (confirmation?.status === 'confirmed' && submitted);
  useEffect(() => {
    onLockedChange(locked);
  }, [locked, onLockedChange]);
  // While a request is open, the other side's answer shows up without a reload.
  useEffect(() => {
    if (!waiting) {
      return;
    }
    const timer = setInterval(refresh, POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [waiting, refresh]);

  const act = async (kind: 'sent' | 'confirmed' | 'returned', run: () => Promise<unknown>) => {
    setBusy(true);
    setFailure(null);
    try {
      await run();
      setDone(kind);
      setMessage('');
      setComment('');
    } catch (error) {
      const next = failureOf(error, t);
      setFailure(next);
      if (next.kind === 'issues') {
        onRefused();
      }
    } finally {
      setBusy(false);
      refresh();
    }
  };

  if (listingId === '' || status === null) {
    return null;
  }
  const when = (iso: string | null) => (iso === null ? '' : formatServerTime(iso, locale));

  const failureView =
    failure === null ? null : (
      <Alert
        color="red"
        role="alert"
        data-testid="confirmation-refused"
        title={failure.kind === 'issues' ? t('listingEditor.confirmation.invalid') : undefined}
      >
        {failure.kind === 'issues' ? (
          <List size="sm" data-testid="confirmation-issues">
            {failure.issues.map((issue, index) => (
              <List.Item key={`${issue.code}-${String(index)}`} data-code={issue.code}>
                {issue.message[locale]}
              </List.Item>
            ))}
          </List>
        ) : (
          failure.text
        )}
      </Alert>
    );

  // The institution's submitter: confirm or return what waits for them.
  if (role === 'submitter') {
    if (!waiting) {
      return done === null ? null : (
        <Alert color="green" data-testid="confirmation-result" data-result={done}>
          {done === 'confirmed'
            ? t('listingEditor.confirmation.confirmedDone')
            : t('listingEditor.confirmation.returnedDone')}
        </Alert>
      );
    }
    return (
      <Alert
        color="blue"
        data-testid="confirmation-request"
        title={t('listingEditor.confirmation.awaitingYou')}
      >
        <Stack gap="sm">
          <Text size="sm">
            {t('listingEditor.confirmation.sentBy', {
              name: confirmation.requestedBy.name,
              time: when(confirmation.requestedAt),
            })}
          </Text>
          {adopted && (
            <Text size="sm" c="dimmed" data-testid="confirmation-adopted">
              {t('listingEditor.confirmation.adopted')}
            </Text>
          )}
          {confirmation.message !== '' && (
            <Text size="sm" data-testid="confirmation-message">
              {t('listingEditor.confirmation.messageIs', { message: confirmation.message })}
            </Text>
          )}
          <Group>
            <Button
              data-testid="confirm-listing"
              loading={busy}
              disabled={!saved}
              onClick={() => {
                void act('confirmed', async () => {
                  await saveNow();
                  await api.confirm(listingId);
                });
              }}
            >
              {t('listingEditor.confirmation.confirm')}
            </Button>
          </Group>
          <Textarea
            label={t('listingEditor.confirmation.commentLabel')}
            description={t('listingEditor.confirmation.commentHint')}
            data-testid="return-comment"
            autosize
            minRows={2}
            maxLength={MAX_TEXT}
            value={comment}
            onChange={(event) => {
              setComment(event.currentTarget.value);
            }}
          />
          <Group>
            <Button
              variant="light"
              color="orange"
              data-testid="return-listing"
              loading={busy}
              disabled={comment.trim() === ''}
              onClick={() => {
                void act('returned', () => api.returnDraft(listingId, comment.trim()));
              }}
            >
              {t('listingEditor.confirmation.return')}
            </Button>
          </Group>
          {failureView}
        </Stack>
      </Alert>
    );
  }

  if (!requester) {
    return null;
  }
  // The assistant or collaborator who enters the listing for the institution.
  if (waiting) {
    return (
      <Alert
        color="yellow"
        data-testid="confirmation-banner"
        data-state="requested"
        title={t('listingEditor.confirmation.waitingTitle')}
      >
        <Text size="sm">
          {t('listingEditor.confirmation.waitingBody', { time: when(confirmation.requestedAt) })}
        </Text>
      </Alert>
    );
  }
  if (confirmation?.status === 'confirmed' && submitted) {
    return (
      <Alert color="green" data-testid="confirmation-banner" data-state="confirmed">
        {t('listingEditor.confirmation.confirmedBy', {
          name: confirmation.answeredBy?.name ?? '',
          time: when(confirmation.answeredAt),
        })}
      </Alert>
    );
  }
  if (status.state !== 'draft') {
    return null;
  }
  return (
    <Stack gap="sm" data-testid="confirmation-panel">
      {confirmation?.status === 'returned' && (
        <Alert
          color="orange"
          data-testid="confirmation-returned"
          title={t('listingEditor.confirmation.returnedTitle', {
            name: confirmation.answeredBy?.name ?? '',
            time: when(confirmation.answeredAt),
          })}
        >
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="returned-comment">
            {confirmation.comment ?? ''}
          </Text>
        </Alert>
      )}
      <Group align="flex-end">
        <Textarea
          label={t('listingEditor.confirmation.messageLabel')}
          data-testid="confirmation-message-input"
          autosize
          minRows={1}
          maxLength={MAX_TEXT}
          w={420}
          value={message}
          onChange={(event) => {
            setMessage(event.currentTarget.value);
          }}
        />
        <Button
          data-testid="send-for-confirmation"
          loading={busy}
          disabled={!saved}
          onClick={() => {
            void act('sent', async () => {
              await saveNow();
              await api.requestConfirmation(listingId, message);
            });
          }}
        >
          {t('listingEditor.confirmation.send')}
        </Button>
      </Group>
      {!saved && (
        <Text size="xs" c="dimmed">
          {t('listingEditor.confirmation.saveFirst')}
        </Text>
      )}
      {failureView}
    </Stack>
  );
}
