import { Alert, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { parsePointer } from '#shared/diff/pointer';
import { fieldLabel } from '#shared/domain/listing/fieldLabels';
import type { Locale } from '#shared/i18n/localized';
import { formatServerTime } from '../../app/format';
import { NetworkError } from '../../sync/transport';
import type { CollaboratorsApi, ListingOperation } from './collaboratorsApi';
import type { EditorKey, EditorT } from './text';

/** The audited actions the history names in words; any other shows as the server spells it. */
const ACTIONS = new Set([
  'create',
  'save_draft',
  'invite_collaborator',
  'remove_collaborator',
  'submit',
  'submit_update',
  'withdraw',
  'start_update',
  'request_confirmation',
  'confirm',
  'return_confirmation',
  'claim',
  'approve',
  'reject',
  'takedown',
]);

/** How many field labels one entry lists before "and N more". */
const FIELDS_SHOWN = 6;

type Loaded =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly operations: readonly ListingOperation[] }
  | { readonly status: 'failed'; readonly message: string };

export function failureText(error: unknown, t: EditorT): string {
  return error instanceof NetworkError
    ? t('listingEditor.collaborators.offline')
    : t('listingEditor.collaborators.failed', {
        reason: error instanceof Error ? error.message : String(error),
      });
}

/** What one operation did, in words: the action, the person, the fields a save changed. */
function describe(operation: ListingOperation, locale: Locale, t: EditorT): string {
  const action = ACTIONS.has(operation.action)
    ? t(`listingEditor.history.actions.${operation.action}` as EditorKey, {
        name: operation.collaborator?.name ?? '',
      })
    : operation.action;
  if (operation.fields.length === 0) {
    return operation.action === 'save_draft'
      ? `${action}${t('listingEditor.history.separator')}${t('listingEditor.history.noFields')}`
      : action;
  }
  const labels = operation.fields
    .slice(0, FIELDS_SHOWN)
    .map((pointer) => fieldLabel(parsePointer(pointer))[locale]);
  const more = operation.fields.length - labels.length + operation.moreFields;
  const list = labels.join(t('listingEditor.history.listSeparator'));
  return `${action}${t('listingEditor.history.separator')}${list}${
    more > 0 ? t('listingEditor.history.more', { count: more }) : ''
  }`;
}

/**
 * The draft's operation history (project-submission-workspace.zh.md §7: 草稿显示谁改了什么):
 * who did what and when, newest first, with the fields each save changed by their labels.
 * Read from the server's audit trail; reloaded when the draft reaches the server.
 */
export function OperationHistory({
  api,
  listingId,
  locale,
  t,
  saved,
}: {
  readonly api: CollaboratorsApi;
  readonly listingId: string;
  readonly locale: Locale;
  readonly t: EditorT;
  /** The draft as typed is on the server: a new save may be in the history. */
  readonly saved: boolean;
}) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const load = useCallback(() => {
    api.operations(listingId).then(
      (operations) => {
        setLoaded({ status: 'ready', operations });
      },
      (error: unknown) => {
        setLoaded({ status: 'failed', message: failureText(error, t) });
      },
    );
  }, [api, listingId, t]);
  // On opening, and again when the draft as typed reaches the server (`saved` turns true).
  useEffect(load, [load, saved]);

  return (
    <Stack gap="xs" data-testid="operation-history">
      <Group justify="space-between">
        <Title order={4}>{t('listingEditor.history.title')}</Title>
        <Button size="xs" variant="subtle" data-testid="operations-refresh" onClick={load}>
          {t('listingEditor.history.refresh')}
        </Button>
      </Group>
      {loaded.status === 'loading' && <Loader size="sm" />}
      {loaded.status === 'failed' && (
        <Alert color="orange" data-testid="operations-error">
          {loaded.message}
        </Alert>
      )}
      {loaded.status === 'ready' && loaded.operations.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('listingEditor.history.empty')}
        </Text>
      )}
      {loaded.status === 'ready' && loaded.operations.length > 0 && (
        <Table.ScrollContainer minWidth={520} mah={280}>
          <Table striped withTableBorder verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('listingEditor.history.columns.time')}</Table.Th>
                <Table.Th>{t('listingEditor.history.columns.who')}</Table.Th>
                <Table.Th>{t('listingEditor.history.columns.what')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {loaded.operations.map((operation) => (
                <Table.Tr
                  key={operation.id}
                  data-testid="operation"
                  data-action={operation.action}
                  data-actor={operation.actor.id}
                  data-fields={operation.fields.join(' ')}
                >
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {formatServerTime(operation.at, locale)}
                  </Table.Td>
                  <Table.Td>{operation.actor.name}</Table.Td>
                  <Table.Td>{describe(operation, locale, t)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
