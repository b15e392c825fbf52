import { Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isLocale } from '#shared/i18n/localized';
import { formatServerTime } from '../../app/format';
import type { ListingDraftRow } from '../../db/database';
import type { Workspace } from '../../workspace/workspace';
import { getAt } from './draftDocument';
import { hasUnpushedChanges, type DraftStore } from './draftStore';
import { createListingApi, type ConfirmationEntry, type ListingApi } from './listingApi';
import { useEditorT } from './text';

/** `#/listings`: assisted drafts waiting for confirmation, the drafts on this device, "new listing". */
export function DraftList({
  store,
  workspace,
  api,
}: {
  readonly store: DraftStore;
  readonly workspace?: Workspace;
  readonly api?: ListingApi;
}) {
  const t = useEditorT();
  const [drafts, setDrafts] = useState<ListingDraftRow[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    void store.list().then((rows) => {
      if (!cancelled) {
        setDrafts(rows);
      }
    });
    return () => {
      cancelled = true;
    };
  }, [store]);
  return (
    <Stack gap="md" maw={900} data-testid="draft-list">
      <Group justify="space-between">
        <Title order={2}>{t('listingEditor.listTitle')}</Title>
        <Button component="a" href="#/listings/new" data-testid="new-listing">
          {t('listingEditor.newListing')}
        </Button>
      </Group>
      {workspace !== undefined && <ConfirmationList workspace={workspace} api={api} />}
      <Paper withBorder p="sm">
        {drafts === null ? (
          <Text>{t('listingEditor.loading')}</Text>
        ) : drafts.length === 0 ? (
          <Text c="dimmed">{t('listingEditor.noDrafts')}</Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('listingEditor.columns.name')}</Table.Th>
                <Table.Th>{t('listingEditor.columns.updated')}</Table.Th>
                <Table.Th>{t('listingEditor.columns.saved')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {drafts.map((draft) => {
                const name = getAt(draft.document, ['basic', 'name']);
                const href =
                  draft.listingId === ''
                    ? `#/listings/new?draft=${draft.id}`
                    : `#/listings/${draft.listingId}/edit`;
                return (
                  <Table.Tr key={draft.id} data-testid="draft-row">
                    <Table.Td>
                      <Anchor href={href}>
                        {typeof name === 'string' && name.trim() !== ''
                          ? name
                          : t('listingEditor.untitled')}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{new Date(draft.updatedAt).toLocaleString()}</Table.Td>
                    <Table.Td>
                      {hasUnpushedChanges(draft)
                        ? t('listingEditor.status.device')
                        : t('listingEditor.status.server')}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}

/**
 * Assisted drafts that concern the user (`GET /api/v1/listings/confirmations`): for a submitter
 * "Awaiting your confirmation", for an assistant or collaborator the drafts they sent (waiting, or
 * returned with the institution's comment). Needs the server; offline the section says so.
 */
function ConfirmationList({
  workspace,
  api: givenApi,
}: {
  readonly workspace: Workspace;
  readonly api?: ListingApi | undefined;
}) {
  const t = useEditorT();
  const { i18n } = useTranslation();
  const locale = isLocale(i18n.language) ? i18n.language : 'zh-CN';
  const role = workspace.session.user.role;
  const relevant = role === 'submitter' || role === 'assistant' || role === 'collaborator';
  const [api] = useState(() => givenApi ?? createListingApi(workspace));
  const [entries, setEntries] = useState<readonly ConfirmationEntry[] | 'failed' | null>(null);
  useEffect(() => {
    if (!relevant) {
      return;
    }
    let cancelled = false;
    void api.confirmations().then(
      (rows) => {
        if (!cancelled) {
          setEntries(rows);
        }
      },
      () => {
        if (!cancelled) {
          setEntries('failed');
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, relevant]);
  if (!relevant || entries === null || (entries !== 'failed' && entries.length === 0)) {
    return null;
  }
  const submitter = role === 'submitter';
  return (
    <Paper withBorder p="sm" data-testid="confirmation-list">
      <Title order={3} size="h4" mb="xs">
        {submitter
          ? t('listingEditor.confirmation.listAwaiting')
          : t('listingEditor.confirmation.listSent')}
      </Title>
      {entries === 'failed' ? (
        <Text c="dimmed" size="sm">
          {t('listingEditor.confirmation.listUnavailable')}
        </Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('listingEditor.columns.name')}</Table.Th>
              <Table.Th>
                {submitter
                  ? t('listingEditor.confirmation.columns.enteredBy')
                  : t('listingEditor.confirmation.columns.institution')}
              </Table.Th>
              <Table.Th>{t('listingEditor.confirmation.columns.sentAt')}</Table.Th>
              <Table.Th>{t('listingEditor.confirmation.columns.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr
                key={entry.listingId}
                data-testid="confirmation-row"
                data-listing-id={entry.listingId}
                data-status={entry.status}
              >
                <Table.Td>
                  <Anchor href={`#/listings/${entry.listingId}/edit`}>
                    {entry.name.trim() === '' ? t('listingEditor.untitled') : entry.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{submitter ? entry.requestedBy.name : entry.institutionName}</Table.Td>
                <Table.Td>{formatServerTime(entry.requestedAt, locale)}</Table.Td>
                <Table.Td>
                  {entry.status === 'returned' ? (
                    <Stack gap={2}>
                      <Badge color="orange" variant="light">
                        {t('listingEditor.confirmation.statusReturned')}
                      </Badge>
                      <Text size="xs">{entry.comment ?? ''}</Text>
                    </Stack>
                  ) : (
                    <Badge color="blue" variant="light">
                      {submitter
                        ? t('listingEditor.confirmation.statusAwaitingYou')
                        : t('listingEditor.confirmation.statusWaiting')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
