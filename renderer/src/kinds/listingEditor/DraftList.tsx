import { Anchor, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ListingDraftRow } from '../../db/database';
import { getAt } from './draftDocument';
import { hasUnpushedChanges, type DraftStore } from './draftStore';
import { useEditorT } from './text';

/** `#/listings`: the drafts on this device and "new listing". */
export function DraftList({ store }: { readonly store: DraftStore }) {
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
