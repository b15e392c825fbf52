import { Alert, Badge, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { Locale } from '#shared/i18n/localized';
import { formatServerTime } from '../../app/format';
import type { Workspace } from '../../workspace/workspace';
import {
  createCollaboratorsApi,
  type CollaboratorsApi,
  type Collaborators,
} from './collaboratorsApi';
import { DraftRequestError } from './draftStore';
import { failureText, OperationHistory } from './OperationHistory';
import { useEditorT, type EditorT } from './text';

type Loaded =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly value: Collaborators }
  | { readonly status: 'failed'; readonly message: string };

/** A refused invitation or removal in words (the server's codes, see collaborators.ts). */
function refusalText(error: unknown, t: EditorT): string {
  if (error instanceof DraftRequestError) {
    if (error.code === 'NOT_A_MEMBER') {
      return t('listingEditor.collaborators.notMember');
    }
    if (error.code === 'NOT_A_COLLABORATOR') {
      return t('listingEditor.collaborators.notCollaborator');
    }
    if (error.status === 403) {
      return t('listingEditor.collaborators.onlyOwner');
    }
  }
  return failureText(error, t);
}

/**
 * The draft's collaborators (project-submission-workspace.zh.md §6) and its operation history:
 * the listing's owner invites collaborators of the institution and removes them; everyone else
 * of the institution and the listing staff read who works on it. A collaborator is told what they
 * may do here: an invited one edits and does not submit (the institution's submitter does), one
 * not invited reads only — the server refuses their saves.
 */
export function CollaboratorsPanel({
  workspace,
  listingId,
  locale,
  saved,
  api: givenApi,
}: {
  readonly workspace: Workspace;
  /** The server's listing id; '' while the draft is only on this device. */
  readonly listingId: string;
  readonly locale: Locale;
  /** The draft as typed is on the server (the history may have a new save). */
  readonly saved: boolean;
  readonly api?: CollaboratorsApi;
}) {
  const t = useEditorT();
  const [api] = useState(() => givenApi ?? createCollaboratorsApi(workspace));
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [choice, setChoice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const me = workspace.session.user;

  const load = useCallback(() => {
    if (listingId === '') {
      return;
    }
    api.collaborators(listingId).then(
      (value) => {
        setLoaded({ status: 'ready', value });
      },
      (failure: unknown) => {
        setLoaded({ status: 'failed', message: failureText(failure, t) });
      },
    );
  }, [api, listingId, t]);
  useEffect(load, [load]);

  const act = (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    action()
      .then(load, (failure: unknown) => {
        setError(refusalText(failure, t));
      })
      .finally(() => {
        setBusy(false);
      });
  };

  if (listingId === '') {
    return null;
  }
  const value = loaded.status === 'ready' ? loaded.value : null;
  const invited = value?.collaborators.some((c) => c.userId === me.id) ?? false;
  return (
    <Paper withBorder p="sm" data-testid="collaborators-panel" component="section">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={4}>{t('listingEditor.collaborators.title')}</Title>
          <Button
            size="xs"
            variant="light"
            data-testid="operations-toggle"
            aria-expanded={showHistory}
            onClick={() => {
              setShowHistory((open) => !open);
            }}
          >
            {showHistory ? t('listingEditor.history.hide') : t('listingEditor.history.show')}
          </Button>
        </Group>
        {me.role === 'collaborator' && value !== null && (
          <Alert
            color={invited ? 'blue' : 'orange'}
            data-testid="collaborator-note"
            data-invited={invited ? 'true' : 'false'}
          >
            {invited
              ? t('listingEditor.collaborators.youEdit')
              : t('listingEditor.collaborators.youRead')}
          </Alert>
        )}
        {loaded.status === 'failed' && (
          <Alert color="orange" data-testid="collaborators-error">
            {loaded.message}
          </Alert>
        )}
        {value !== null && value.collaborators.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('listingEditor.collaborators.none')}
          </Text>
        )}
        {value !== null && value.collaborators.length > 0 && (
          <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {value.collaborators.map((collaborator) => (
              <Group
                key={collaborator.userId}
                component="li"
                justify="space-between"
                data-testid="collaborator"
                data-user-id={collaborator.userId}
              >
                <Group gap={6}>
                  <Text size="sm" fw={500}>
                    {collaborator.name}
                  </Text>
                  <Badge size="xs" variant="light">
                    {t('listingEditor.collaborators.badge')}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {t('listingEditor.collaborators.invitedBy', {
                      name: collaborator.invitedBy.name,
                      time: formatServerTime(collaborator.invitedAt, locale),
                    })}
                  </Text>
                </Group>
                {value.canManage && (
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    disabled={busy}
                    data-testid="remove-collaborator"
                    aria-label={t('listingEditor.collaborators.removeLabel', {
                      name: collaborator.name,
                    })}
                    onClick={() => {
                      act(() => api.remove(listingId, collaborator.userId));
                    }}
                  >
                    {t('listingEditor.collaborators.remove')}
                  </Button>
                )}
              </Group>
            ))}
          </Stack>
        )}
        {value?.canManage === true && (
          <Group align="end" gap="xs">
            <Select
              label={t('listingEditor.collaborators.inviteLabel')}
              placeholder={
                value.candidates.length === 0
                  ? t('listingEditor.collaborators.noCandidates')
                  : t('listingEditor.collaborators.invitePick')
              }
              data-testid="invite-select"
              w={320}
              searchable
              disabled={value.candidates.length === 0}
              data={value.candidates.map((candidate) => ({
                value: candidate.userId,
                label: `${candidate.name} (${candidate.username})`,
              }))}
              value={choice}
              onChange={setChoice}
            />
            <Button
              data-testid="invite-collaborator"
              disabled={choice === null || busy}
              loading={busy}
              onClick={() => {
                if (choice !== null) {
                  act(async () => {
                    await api.invite(listingId, choice);
                    setChoice(null);
                  });
                }
              }}
            >
              {t('listingEditor.collaborators.invite')}
            </Button>
          </Group>
        )}
        {error !== null && (
          <Alert color="red" role="alert" data-testid="collaborators-refused">
            {error}
          </Alert>
        )}
        {showHistory && (
          <OperationHistory api={api} listingId={listingId} locale={locale} t={t} saved={saved} />
        )}
      </Stack>
    </Paper>
  );
}
