import { Alert, Badge, Button, Group, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { diffListings } from '#shared/diff/index';
import type { JsonValue } from '#shared/diff/patch';
import type { Locale } from '#shared/i18n/localized';
import { formatServerTime } from '../../app/format';
import { revisionStateLabel } from '../../features/diff/ChangesTab';
import { DiffView } from '../../features/diff/DiffView';
import { serverDay } from '../../features/viewer/files';
import { NetworkError } from '../../sync/transport';
import type { Workspace } from '../../workspace/workspace';
import { useEditor } from './fields';
import { createListingApi, type ListingApi, type ListingVersion } from './listingApi';
import { useEditorT, type EditorT } from './text';

type View =
  | { readonly name: 'list' }
  | { readonly name: 'confirmCopy'; readonly version: ListingVersion }
  | { readonly name: 'compare'; readonly live: ListingVersion; readonly document: JsonValue };

type Loaded =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly versions: readonly ListingVersion[] }
  | { readonly status: 'failed'; readonly message: string };

function failureText(error: unknown, t: EditorT): string {
  return error instanceof NetworkError
    ? t('listingEditor.versions.offline')
    : t('listingEditor.versions.failed', {
        reason: error instanceof Error ? error.message : String(error),
      });
}

/**
 * The listing's versions in the editor (issue 11, "Versions"): every revision with its state,
 * who submitted and decided it (and who entered and confirmed an assisted one); "Copy into the
 * draft" replaces the draft's document with that version's (the quarterly price update: start
 * from last quarter's listing, change the prices, submit), with an undo; "Compare with live"
 * shows the draft as typed against the live version in the reviewers' changes view.
 */
export function VersionsPanel({
  workspace,
  listingId,
  locale,
  api: givenApi,
}: {
  readonly workspace: Workspace;
  /** The server's listing id; '' while the draft is only on this device (no versions yet). */
  readonly listingId: string;
  readonly locale: Locale;
  readonly api?: ListingApi;
}) {
  const t = useEditorT();
  const { t: anyT } = useTranslation();
  const editor = useEditor();
  const [api] = useState(() => givenApi ?? createListingApi(workspace));
  const [opened, setOpened] = useState(false);
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [view, setView] = useState<View>({ name: 'list' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** The document before the last copy, for "Undo". */
  const [copied, setCopied] = useState<{
    readonly number: number;
    readonly previous: unknown;
  } | null>(null);

  const load = useCallback(async () => {
    setLoaded({ status: 'loading' });
    try {
      setLoaded({ status: 'ready', versions: await api.versions(listingId) });
    } catch (failure) {
      setLoaded({ status: 'failed', message: failureText(failure, t) });
    }
  }, [api, listingId, t]);

  const open = () => {
    setOpened(true);
    setView({ name: 'list' });
    setError(null);
    void load();
  };

  const copy = async (version: ListingVersion) => {
    setBusy(true);
    setError(null);
    try {
      const document = await api.versionDocument(listingId, version.number);
      setCopied({ number: version.number, previous: editor.doc });
      editor.update([], document);
      setOpened(false);
    } catch (failure) {
      setError(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  const compare = async (live: ListingVersion) => {
    setBusy(true);
    setError(null);
    try {
      const document = (await api.versionDocument(listingId, live.number)) as JsonValue;
      setView({ name: 'compare', live, document });
    } catch (failure) {
      setError(failureText(failure, t));
    } finally {
      setBusy(false);
    }
  };

  if (listingId === '') {
    return null;
  }
  const versions = loaded.status === 'ready' ? loaded.versions : [];
  const live = versions.find((version) => version.live);
  const when = (iso: string | null) => (iso === null ? '—' : formatServerTime(iso, locale));

  return (
    <>
      <Button variant="default" data-testid="versions-open" onClick={open}>
        {t('listingEditor.versions.open')}
      </Button>
      {copied !== null && (
        <Group gap="xs" data-testid="version-copied">
          <Text size="sm">{t('listingEditor.versions.copied', { number: copied.number })}</Text>
          <Button
            size="xs"
            variant="subtle"
            data-testid="version-copy-undo"
            disabled={editor.readOnly}
            onClick={() => {
              editor.update([], copied.previous);
              setCopied(null);
            }}
          >
            {t('listingEditor.versions.undo')}
          </Button>
        </Group>
      )}
      <Modal
        opened={opened}
        onClose={() => {
          setOpened(false);
        }}
        title={
          view.name === 'compare'
            ? t('listingEditor.versions.compareTitle', { number: view.live.number })
            : t('listingEditor.versions.title')
        }
        size={view.name === 'compare' ? '95%' : 'xl'}
        data-testid="versions-panel"
      >
        <Stack gap="md" data-testid="versions-body" data-view={view.name}>
          {error !== null && (
            <Alert color="red" role="alert" data-testid="versions-error">
              {error}
            </Alert>
          )}
          {view.name === 'compare' ? (
            <CompareWithLive
              workspace={workspace}
              live={view.live}
              liveDocument={view.document}
              draft={editor.doc as JsonValue}
              onBack={() => {
                setView({ name: 'list' });
              }}
            />
          ) : view.name === 'confirmCopy' ? (
            <Stack gap="sm" data-testid="version-copy-confirm">
              <Text size="sm">
                {t('listingEditor.versions.copyQuestion', { number: view.version.number })}
              </Text>
              <Group>
                <Button
                  data-testid="version-copy-confirmed"
                  loading={busy}
                  onClick={() => {
                    void copy(view.version);
                  }}
                >
                  {t('listingEditor.versions.copyConfirm')}
                </Button>
                <Button
                  variant="default"
                  onClick={() => {
                    setView({ name: 'list' });
                  }}
                >
                  {t('listingEditor.versions.cancel')}
                </Button>
              </Group>
            </Stack>
          ) : loaded.status === 'loading' ? (
            <Loader size="sm" aria-label={t('listingEditor.loading')} />
          ) : loaded.status === 'failed' ? (
            <Alert color="orange" data-testid="versions-error">
              {loaded.message}
            </Alert>
          ) : (
            <>
              <Group justify="space-between">
                <Text size="sm" c="dimmed">
                  {editor.readOnly
                    ? t('listingEditor.versions.readOnly')
                    : t('listingEditor.versions.hint')}
                </Text>
                <Button
                  variant="light"
                  data-testid="compare-live"
                  disabled={live === undefined}
                  loading={busy}
                  onClick={() => {
                    if (live !== undefined) {
                      void compare(live);
                    }
                  }}
                >
                  {live === undefined
                    ? t('listingEditor.versions.noLive')
                    : t('listingEditor.versions.compareLive')}
                </Button>
              </Group>
              <Table data-testid="versions-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('listingEditor.versions.columns.version')}</Table.Th>
                    <Table.Th>{t('listingEditor.versions.columns.state')}</Table.Th>
                    <Table.Th>{t('listingEditor.versions.columns.submitted')}</Table.Th>
                    <Table.Th>{t('listingEditor.versions.columns.decided')}</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {versions.map((version) => (
                    <Table.Tr
                      key={version.id}
                      data-testid="version-row"
                      data-number={version.number}
                      data-state={version.state}
                    >
                      <Table.Td>
                        <Group gap={4}>
                          <Text size="sm" fw={500}>
                            {t('listingEditor.versions.number', { number: version.number })}
                          </Text>
                          {version.live && (
                            <Badge size="xs" color="green">
                              {t('listingEditor.versions.live')}
                            </Badge>
                          )}
                          {version.current && !version.live && (
                            <Badge size="xs" color="blue" variant="light">
                              {t('listingEditor.versions.current')}
                            </Badge>
                          )}
                        </Group>
                        {version.enteredBy !== null && (
                          <Text size="xs" c="dimmed" data-testid="version-assisted">
                            {t('listingEditor.versions.assisted', {
                              entered: version.enteredBy.name,
                              confirmed: version.confirmedBy?.name ?? '—',
                            })}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{revisionStateLabel(version.state, anyT)}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{when(version.submittedAt)}</Text>
                        {version.submittedBy !== null && (
                          <Text size="xs" c="dimmed">
                            {version.submittedBy.name}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{when(version.decidedAt)}</Text>
                        {version.decidedBy !== null && (
                          <Text size="xs" c="dimmed">
                            {version.decidedBy.name}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {!version.current && (
                          <Button
                            size="xs"
                            variant="default"
                            data-testid="version-copy"
                            disabled={editor.readOnly}
                            onClick={() => {
                              setView({ name: 'confirmCopy', version });
                            }}
                          >
                            {t('listingEditor.versions.copy')}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Stack>
      </Modal>
    </>
  );
}

/** The draft as typed against the live version, in the reviewers' changes view (`DiffView`). */
function CompareWithLive({
  workspace,
  live,
  liveDocument,
  draft,
  onBack,
}: {
  readonly workspace: Workspace;
  readonly live: ListingVersion;
  readonly liveDocument: JsonValue;
  readonly draft: JsonValue;
  readonly onBack: () => void;
}) {
  const t = useEditorT();
  const { t: anyT } = useTranslation();
  const onDate = serverDay(workspace.serverNow());
  const diff = useMemo(
    () => diffListings(liveDocument, draft, { onDate }),
    [liveDocument, draft, onDate],
  );
  return (
    <Stack gap="sm" data-testid="compare-with-live" data-changes={diff.changes.length}>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {diff.changes.length === 0
            ? t('listingEditor.versions.noChanges')
            : t('listingEditor.versions.changeCount', { count: diff.changes.length })}
        </Text>
        <Button size="xs" variant="default" data-testid="compare-back" onClick={onBack}>
          {t('listingEditor.versions.back')}
        </Button>
      </Group>
      <DiffView
        workspace={workspace}
        before={liveDocument}
        after={draft}
        changes={diff.changes}
        beforeLabel={anyT('diffView.liveRevision', { number: live.number })}
        afterLabel={t('listingEditor.versions.draftLabel')}
      />
    </Stack>
  );
}
