import { Alert, Button, Center, Group, Loader, Select, Stack, Text } from '@mantine/core';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { diffListings, summarizeDiff } from '#shared/diff/index';
import type { ListingRecord, ReviewItemRecord } from '#shared/sync/rows';
import { formatServerTime } from '../../app/format';
import { routeHref } from '../../app/routing';
import { useLocale } from '../../i18n/useLocale';
import type { Workspace } from '../../workspace/workspace';
import { getOcrRows } from '../ocr/ocrStore';
import { TabBoundary } from '../viewer/TabBoundary';
import { asCredentialFileRow, serverDay, type CredentialFileRow } from '../viewer/files';
import { DiffView } from './DiffView';
import { defaultPair, type Basis, type RevisionRecord } from './model';

const REVISION_STATES = [
  'draft',
  'pending',
  'in_review',
  'rejected',
  'live',
  'offline',
  'superseded',
  'withdrawn',
] as const;

interface Loaded {
  readonly item: ReviewItemRecord | null;
  readonly listing: ListingRecord | undefined;
  readonly revisions: readonly RevisionRecord[];
  readonly files: readonly CredentialFileRow[];
  /** OCR text of credential files by SHA-256 (from the local OCR cache). */
  readonly ocr: ReadonlyMap<string, string>;
}

/** A listing revision's state in words (also the editor's version list). */
export function revisionStateLabel(state: string, t: TFunction): string {
  return (REVISION_STATES as readonly string[]).includes(state)
    ? t(`diffView.revisionState.${state as (typeof REVISION_STATES)[number]}`)
    : state;
}

/**
 * What changed in an item's listing revision. By default "changes since live": the revision
 * under review against the listing's live version; without a live version, against the
 * previous submitted revision (and it says so). Any two revisions can be picked instead.
 * Everything is read from the local mirror, so it works offline.
 */
export function ChangesTab(props: { readonly workspace: Workspace; readonly itemId: string }) {
  return (
    <TabBoundary>
      <Changes {...props} />
    </TabBoundary>
  );
}

function Changes({
  workspace,
  itemId,
}: {
  readonly workspace: Workspace;
  readonly itemId: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const { db } = workspace;
  const loaded = useLiveQuery(async (): Promise<Loaded> => {
    const itemRow = await db.mirror('review_items').get(itemId);
    const item = itemRow === undefined ? null : (itemRow as unknown as ReviewItemRecord);
    if (item?.kind !== 'listing_revision') {
      return { item, listing: undefined, revisions: [], files: [], ocr: new Map() };
    }
    const own =
      item.revisionId === null
        ? undefined
        : await db.mirror('listing_revisions').get(item.revisionId);
    const listingId = typeof own?.['listingId'] === 'string' ? own['listingId'] : item.subjectId;
    const [listingRow, revisionRows, fileRows] = await Promise.all([
      db.mirror('listings').get(listingId),
      db.mirror('listing_revisions').where('listingId').equals(listingId).toArray(),
      db.mirror('credential_files').where('listingId').equals(listingId).toArray(),
    ]);
    const files = fileRows.map(asCredentialFileRow);
    // OCR readings wherever the OCR feature keeps them; never a reason not to show the diff.
    const ocrRows = await getOcrRows(db, [...new Set(files.map((file) => file.sha256))]).catch(
      () => [],
    );
    const ocr = new Map<string, string>();
    for (const row of ocrRows) {
      const result = row.result;
      if (
        typeof result === 'object' &&
        result !== null &&
        'text' in result &&
        typeof result.text === 'string'
      ) {
        ocr.set(row.sha256, result.text);
      }
    }
    return {
      item,
      listing: listingRow as unknown as ListingRecord | undefined,
      revisions: (revisionRows as unknown as RevisionRecord[]).sort((a, b) => b.number - a.number),
      files,
      ocr,
    };
  }, [db, itemId]);

  const [picked, setPicked] = useState<{ beforeId: string | null; afterId: string } | null>(null);

  const fallback = useMemo(
    () =>
      loaded?.item === null || loaded === undefined
        ? null
        : defaultPair(loaded.item, loaded.listing, loaded.revisions),
    [loaded],
  );
  const pair = picked ?? fallback;
  const byId = useMemo(
    () => new Map((loaded?.revisions ?? []).map((revision) => [revision.id, revision])),
    [loaded],
  );
  const beforeId = pair?.beforeId ?? null;
  const before = beforeId === null ? undefined : byId.get(beforeId);
  const after = pair === null ? undefined : byId.get(pair.afterId);
  const onDate = serverDay(workspace.serverNow());
  const ocr = loaded?.ocr;

  const diff = useMemo(() => {
    if (before === undefined || after === undefined) {
      return null;
    }
    return diffListings(before.document, after.document, {
      onDate,
      ocrText: (sha256) => ocr?.get(sha256),
    });
  }, [before, after, onDate, ocr]);

  if (loaded === undefined) {
    return (
      <Center p="xl">
        <Loader aria-label={t('diffView.title')} />
      </Center>
    );
  }
  if (loaded.item?.kind !== 'listing_revision') {
    return (
      <Text c="dimmed" data-testid="changes-none">
        {t('diffView.notListing')}
      </Text>
    );
  }
  if (pair === null || after === undefined) {
    return (
      <Alert color="orange" data-testid="changes-none">
        {t('diffView.revisionMissing')}
      </Alert>
    );
  }

  const liveId = loaded.listing?.liveRevisionId ?? null;
  const revisionName = (revision: RevisionRecord) =>
    revision.id === liveId
      ? t('diffView.liveRevision', { number: revision.number })
      : t('diffView.revision', { number: revision.number });
  const options = loaded.revisions.map((revision) => ({
    value: revision.id,
    label: t('diffView.revisionOption', {
      name: revisionName(revision),
      state: revisionStateLabel(revision.state, t),
      time: formatServerTime(revision.submittedAt ?? revision.updatedAt, locale),
    }),
  }));
  const basis: Basis | 'custom' = picked === null ? (fallback?.basis ?? 'none') : 'custom';
  const summary = diff === null ? null : summarizeDiff(diff);

  return (
    <Stack gap="md" data-testid="changes-tab" data-basis={basis}>
      <Alert
        color={basis === 'live' || basis === 'custom' ? 'blue' : 'yellow'}
        variant="light"
        data-testid="changes-basis"
      >
        {basis === 'custom'
          ? t('diffView.basis.custom', {
              before: before === undefined ? '—' : revisionName(before),
              after: revisionName(after),
            })
          : basis === 'live'
            ? t('diffView.basis.live', {
                before: before === undefined ? '—' : before.number,
                after: after.number,
              })
            : basis === 'previous-no-live'
              ? t('diffView.basis.previousNoLive', {
                  before: before?.number ?? '—',
                  after: after.number,
                })
              : basis === 'previous-is-live'
                ? t('diffView.basis.previousIsLive', {
                    before: before?.number ?? '—',
                    after: after.number,
                  })
                : t('diffView.basis.none', { after: after.number })}
      </Alert>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label={t('diffView.pickBefore')}
          data={options}
          value={before?.id ?? null}
          onChange={(value) => {
            setPicked({ beforeId: value, afterId: after.id });
          }}
          placeholder={t('diffView.pickNone')}
          allowDeselect={false}
          w={320}
          size="xs"
          data-testid="pick-before"
        />
        <Button
          size="xs"
          variant="default"
          disabled={before === undefined}
          onClick={() => {
            if (before !== undefined) {
              setPicked({ beforeId: after.id, afterId: before.id });
            }
          }}
          aria-label={t('diffView.swap')}
        >
          ⇄
        </Button>
        <Select
          label={t('diffView.pickAfter')}
          data={options}
          value={after.id}
          onChange={(value) => {
            if (value !== null) {
              setPicked({ beforeId: before?.id ?? null, afterId: value });
            }
          }}
          allowDeselect={false}
          w={320}
          size="xs"
          data-testid="pick-after"
        />
        {picked !== null && (
          <Button
            size="xs"
            variant="subtle"
            onClick={() => {
              setPicked(null);
            }}
          >
            {fallback?.basis === 'live' ? t('diffView.resetLive') : t('diffView.reset')}
          </Button>
        )}
      </Group>
      {summary !== null && summary.total > 0 && (
        <Text size="sm" c="dimmed" data-testid="changes-summary">
          {t('diffView.summary', {
            count: summary.total,
            steps: Object.keys(summary.bySteps).length,
          })}
        </Text>
      )}
      {diff !== null && before !== undefined && (
        <DiffView
          workspace={workspace}
          before={before.document}
          after={after.document}
          changes={diff.changes}
          beforeLabel={revisionName(before)}
          afterLabel={revisionName(after)}
          files={loaded.files}
          filesHref={routeHref({ name: 'item', itemId, tab: 'files' })}
        />
      )}
    </Stack>
  );
}
