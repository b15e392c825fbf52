import { Alert, Badge, Button, Group, Paper, Progress, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  findingToComment,
  LOW_CONFIDENCE_THRESHOLD,
  ocrErrorMessage,
  type CredentialFinding,
  type ExtractedField,
  type ExtractedFieldName,
  type OcrDocumentResult,
  type OcrProgress,
} from '#shared/ocr/index';
import { useLocale } from '../../i18n/useLocale';
import type { Workspace } from '../../workspace/workspace';
import { pathLabel } from '../item/fields';
import { isImage, isPdf, type CredentialFileView } from '../viewer/files';
import { recordFindingComment, useItemOcr, useOcrJob } from './hooks';

/**
 * Beside the credential viewer: the OCR reading of the selected file (read in the OCR Web Worker
 * on demand, kept on this device by SHA-256), the fields read with their confidence, and the
 * checks against the listing, each of which one click turns into a field comment.
 */
export function OcrPanel({
  workspace,
  itemId,
  file,
}: {
  readonly workspace: Workspace;
  readonly itemId: string;
  readonly file: CredentialFileView;
}) {
  const { t } = useTranslation();
  const item = useItemOcr(workspace, itemId);
  const entry = item?.files.find((candidate) => candidate.file.entryId === file.entryId);
  const { state, run, cancel } = useOcrJob(workspace, file);
  const role = workspace.session.user.role;
  const canComment = role === 'reviewer' || role === 'ops_manager';
  const readable = isPdf(file.mimeType) || isImage(file.mimeType);
  const result = entry?.result;

  return (
    <Paper
      withBorder
      p="sm"
      mt="sm"
      data-testid="ocr-panel"
      data-state={state.status}
      aria-label={t('ocrView.title')}
      component="section"
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text fw={700}>{t('ocrView.title')}</Text>
          {result !== undefined && state.status !== 'running' && (
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => {
                run(true);
              }}
            >
              {t('ocrView.rerun')}
            </Button>
          )}
        </Group>
        <Text size="xs" c="dimmed">
          {t('ocrView.privacy')}
        </Text>
        {file.fileId === null ? (
          <Text size="sm" c="dimmed">
            {t('ocrView.noFile')}
          </Text>
        ) : !readable ? (
          <Text size="sm" c="dimmed">
            {t('ocrView.unsupported')}
          </Text>
        ) : state.status === 'running' ? (
          <RunningJob progress={state.progress} onCancel={cancel} />
        ) : result === undefined && state.status !== 'failed' ? (
          <Stack gap="xs" align="flex-start">
            <Text size="sm">{t('ocrView.notRead')}</Text>
            <Button
              size="xs"
              data-testid="ocr-run"
              onClick={() => {
                run();
              }}
            >
              {t('ocrView.run')}
            </Button>
          </Stack>
        ) : null}
        {state.status === 'failed' && (
          <OcrFailure
            state={state}
            onRetry={() => {
              run();
            }}
          />
        )}
        {result !== undefined && state.status !== 'running' && (
          <OcrResultView
            workspace={workspace}
            itemId={itemId}
            result={result}
            findings={entry?.findings ?? []}
            canComment={canComment}
          />
        )}
      </Stack>
    </Paper>
  );
}

function RunningJob({
  progress,
  onCancel,
}: {
  readonly progress: OcrProgress | null;
  readonly onCancel: () => void;
}) {
  const { t } = useTranslation();
  const label =
    progress === null
      ? t('ocrView.stage.starting')
      : t(`ocrView.stage.${progress.stage}`, {
          page: progress.page ?? 1,
          pages: progress.pages ?? 1,
        });
  const percent = Math.round((progress?.fraction ?? 0) * 100);
  return (
    <Stack gap={6} data-testid="ocr-progress">
      <Text size="sm" aria-live="polite">
        {label}
      </Text>
      <Progress value={percent} animated aria-label={label} />
      <Group justify="flex-end">
        <Button size="xs" variant="default" onClick={onCancel} data-testid="ocr-cancel">
          {t('ocrView.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}

function OcrFailure({
  state,
  onRetry,
}: {
  readonly state: Extract<ReturnType<typeof useOcrJob>['state'], { status: 'failed' }>;
  readonly onRetry: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Alert color="red" title={t('ocrView.failedTitle')} data-testid="ocr-error">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{ocrErrorMessage(state.error, locale)}</Text>
        <Button size="xs" variant="default" onClick={onRetry}>
          {t('ocrView.retry')}
        </Button>
      </Stack>
    </Alert>
  );
}

const FIELD_ORDER: readonly ExtractedFieldName[] = [
  'name',
  'holderName',
  'creditCode',
  'certificateNumber',
  'legalRepresentative',
  'registeredCapital',
  'establishedOn',
  'validFrom',
  'validUntil',
  'address',
];

function OcrResultView({
  workspace,
  itemId,
  result,
  findings,
  canComment,
}: {
  readonly workspace: Workspace;
  readonly itemId: string;
  readonly result: OcrDocumentResult;
  readonly findings: readonly CredentialFinding[];
  readonly canComment: boolean;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const fields = FIELD_ORDER.flatMap((name) => {
    const field = result.fields[name];
    return field === undefined ? [] : [{ name, field }];
  });
  return (
    <Stack gap="xs" data-testid="ocr-result" data-kind={result.kind}>
      <Group gap={6}>
        <Badge variant="light" color={result.kind === 'unknown' ? 'gray' : 'blue'}>
          {t(`ocrView.kind.${result.kind}`)}
        </Badge>
        <Text size="xs" c="dimmed">
          {t('ocrView.pages', { count: result.pageCount })}
        </Text>
      </Group>
      <Text size="sm" fw={600}>
        {t('ocrView.fieldsTitle')}
      </Text>
      {fields.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('ocrView.noFields')}
        </Text>
      ) : (
        <Table withRowBorders verticalSpacing={4} horizontalSpacing={6} fz="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('ocrView.column.field')}</Table.Th>
              <Table.Th>{t('ocrView.column.value')}</Table.Th>
              <Table.Th style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                {t('ocrView.column.confidence')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {fields.map(({ name, field }) => (
              <FieldRow key={name} name={name} field={field} />
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Text size="sm" fw={600}>
        {t('ocrView.checksTitle')}
      </Text>
      {findings.length === 0 ? (
        <Text size="sm" c="teal" data-testid="ocr-no-findings">
          {t('ocrView.noFindings')}
        </Text>
      ) : (
        <Stack gap={6} component="ul" m={0} p={0} style={{ listStyle: 'none' }}>
          {findings.map((finding, index) => (
            <FindingItem
              key={`${finding.code}-${String(index)}`}
              finding={finding}
              showPath
              onComment={
                canComment
                  ? () => recordFindingComment(workspace, itemId, findingToComment(finding, locale))
                  : undefined
              }
            />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function FieldRow({
  name,
  field,
}: {
  readonly name: ExtractedFieldName;
  readonly field: ExtractedField;
}) {
  const { t } = useTranslation();
  const low = field.confidence < LOW_CONFIDENCE_THRESHOLD;
  const percent = Math.round(field.confidence * 100);
  return (
    <Table.Tr data-testid="ocr-field" data-field={name} data-low={low}>
      <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
        {t(`ocrView.field.${name}`)}
      </Table.Td>
      <Table.Td style={{ wordBreak: 'break-all' }}>
        {field.value ?? t('ocrView.longTerm')}
        {field.repaired === true && (
          <Badge size="xs" variant="outline" ml={4}>
            {t('ocrView.repaired')}
          </Badge>
        )}
        {low && (
          <Badge size="xs" color="orange" variant="light" ml={4}>
            {t('ocrView.verifyByEye')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td
        style={{ textAlign: 'right', verticalAlign: 'top' }}
        c={low ? 'orange' : 'inherit'}
        aria-label={t('ocrView.confidenceLabel', { value: percent })}
      >
        {percent}%
      </Table.Td>
    </Table.Tr>
  );
}

/** One finding with its "add as comment" button (shown beside the viewer and at the fields). */
export function FindingItem({
  finding,
  showPath,
  tag,
  commented = false,
  onComment,
}: {
  readonly finding: CredentialFinding;
  readonly showPath: boolean;
  /** A label before the finding (at listing fields: where it comes from). */
  readonly tag?: string;
  /** A comment with this finding's text is already on the field. */
  readonly commented?: boolean;
  readonly onComment: (() => Promise<unknown>) | undefined;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [saving, setSaving] = useState<
    | { readonly status: 'idle' | 'saving' | 'saved' }
    | { readonly status: 'failed'; readonly reason: string }
  >({ status: 'idle' });
  const color = finding.severity === 'error' ? 'red' : 'orange';
  return (
    <li
      data-testid="ocr-finding"
      data-code={finding.code}
      data-severity={finding.severity}
      style={{
        borderLeft: `3px solid var(--mantine-color-${color}-filled)`,
        paddingLeft: 8,
      }}
    >
      <Stack gap={2}>
        <Text size="sm">
          {tag !== undefined && (
            <Badge size="xs" variant="outline" color="grape" mr={6}>
              {tag}
            </Badge>
          )}
          <Text span fw={700} c={color} size="sm">
            {finding.severity === 'error' ? t('ocrView.error') : t('ocrView.warning')}
          </Text>
          {/* Chinese needs no space after its full-width colon. */}
          {locale === 'en' ? ' ' : ''}
          {finding.message[locale]}
        </Text>
        {showPath && (
          <Text size="xs" c="dimmed">
            {t('ocrView.atField', { field: pathLabel(finding.listingPath, locale) })}
          </Text>
        )}
        {onComment !== undefined && (
          <Group gap={6}>
            <Button
              size="compact-xs"
              variant="light"
              data-testid="ocr-finding-comment"
              loading={saving.status === 'saving'}
              disabled={saving.status === 'saved' || commented}
              onClick={() => {
                setSaving({ status: 'saving' });
                onComment().then(
                  (saved) => {
                    setSaving({ status: saved === false ? 'idle' : 'saved' });
                  },
                  (failure: unknown) => {
                    setSaving({
                      status: 'failed',
                      reason: failure instanceof Error ? failure.message : String(failure),
                    });
                  },
                );
              }}
            >
              {saving.status === 'saved' || commented
                ? t('ocrView.commentAdded')
                : t('ocrView.addComment')}
            </Button>
            {saving.status === 'failed' && (
              <Text size="xs" c="red">
                {t('ocrView.commentFailed', { reason: saving.reason })}
              </Text>
            )}
          </Group>
        )}
      </Stack>
    </li>
  );
}
