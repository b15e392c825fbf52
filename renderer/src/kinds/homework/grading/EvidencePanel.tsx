import {
  Alert,
  Anchor,
  Box,
  Button,
  Code,
  Group,
  Paper,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { diffText } from '#shared/diff/text';
import { evidenceChanges } from '#shared/domain/homeworkEvidence';
import type { HomeworkEvidenceRecord, HomeworkSubmissionRecord } from '#shared/sync/rows';
import { TextDiff } from '../../../features/diff/DiffView';
import { ImageViewer } from '../../../features/viewer/ImageViewer';
import { useFileBlob } from '../../../features/viewer/useFileBlob';
import { FileLoadStatus } from '../../../features/viewer/ViewerParts';
import { useLocale } from '../../../i18n/useLocale';
import type { Workspace } from '../../../workspace/workspace';
import { RedactedText } from '../../../app/RedactedText';

/**
 * What the student submitted, as frozen in the evidence snapshot: the article link (never
 * fetched: the server stored the text the course platform captured), the article text, the
 * reflection and the screenshots in the listing files' image viewer. When the submission was
 * updated after it arrived, the page says what changed and shows the text change.
 */
export function EvidencePanel({
  workspace,
  submission,
  evidence,
}: {
  readonly workspace: Workspace;
  readonly submission: HomeworkSubmissionRecord;
  readonly evidence: readonly HomeworkEvidenceRecord[];
}) {
  const { t } = useTranslation();
  const first = evidence[0];
  const current =
    evidence.find((version) => version.sha256 === submission.evidenceSha256) ?? evidence.at(-1);
  const graded =
    submission.gradedEvidenceSha256 === null
      ? undefined
      : evidence.find((version) => version.sha256 === submission.gradedEvidenceSha256);
  const changed =
    first !== undefined && current !== undefined && current !== first
      ? evidenceChanges(first, current)
      : [];

  return (
    <Stack gap="sm" data-testid="homework-evidence">
      <Title order={4}>{t('homework.grading.evidence.title')}</Title>
      {current === undefined ? (
        <Text size="sm" c="dimmed">
          {t('homework.grading.evidence.noSnapshot')}
        </Text>
      ) : (
        <Tooltip label={t('homework.grading.evidence.snapshotTitle')}>
          <Code data-testid="evidence-sha">
            {t('homework.grading.evidence.snapshot', {
              version: current.version,
              sha: current.sha256.slice(0, 16),
            })}
          </Code>
        </Tooltip>
      )}
      {graded !== undefined && graded !== current && (
        <Alert color="orange" data-testid="evidence-changed-after-grade">
          {t('homework.grading.evidence.changedAfterGrade', { version: graded.version })}
        </Alert>
      )}
      {first !== undefined && current !== undefined && changed.length > 0 && (
        <EvidenceChange first={first} current={current} changed={changed} />
      )}
      <Group gap="xs">
        <Text size="sm" fw={600}>
          {t('homework.grading.evidence.article')}
        </Text>
        {/* Opens in the system browser (the shell's navigation guard); never loaded in the app. */}
        <Anchor
          href={submission.articleUrl}
          target="_blank"
          rel="noopener noreferrer"
          size="sm"
          data-testid="evidence-article-link"
        >
          {submission.articleUrl}
        </Anchor>
      </Group>
      <EvidenceText
        label={t('homework.grading.evidence.reflection')}
        text={submission.reflection}
        testId="evidence-reflection"
      />
      <EvidenceText
        label={t('homework.grading.evidence.articleText')}
        text={submission.articleText}
        testId="evidence-article-text"
      />
      <Screenshots workspace={workspace} submission={submission} current={current} />
    </Stack>
  );
}

function EvidenceText({
  label,
  text,
  testId,
}: {
  readonly label: string;
  readonly text: string;
  readonly testId: string;
}) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Paper withBorder p="sm" data-testid={testId}>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          <RedactedText text={text} />
        </Text>
      </Paper>
    </Stack>
  );
}

function EvidenceChange({
  first,
  current,
  changed,
}: {
  readonly first: HomeworkEvidenceRecord;
  readonly current: HomeworkEvidenceRecord;
  readonly changed: readonly ('articleUrl' | 'articleText' | 'reflection' | 'screenshots')[];
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const texts = changed.filter((part) => part !== 'screenshots');
  return (
    <Alert
      color="yellow"
      title={t('homework.grading.evidence.changedTitle')}
      data-testid="evidence-changed"
    >
      <Stack gap="xs">
        <Text size="sm">
          {t('homework.grading.evidence.changed', {
            version: current.version,
            parts: new Intl.ListFormat(locale, { type: 'conjunction' }).format(
              changed.map((part) => t(`homework.grading.evidence.parts.${part}`)),
            ),
          })}
        </Text>
        {texts.length > 0 && (
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() => {
              setOpen(!open);
            }}
          >
            {t('homework.grading.evidence.showChange')}
          </Button>
        )}
        {open &&
          texts.map((part) => (
            <Box key={part}>
              <Text size="xs" fw={600}>
                {t(`homework.grading.evidence.parts.${part}`)}
              </Text>
              <TextChange before={first[part]} after={current[part]} />
            </Box>
          ))}
      </Stack>
    </Alert>
  );
}

function Screenshots({
  workspace,
  submission,
  current,
}: {
  readonly workspace: Workspace;
  readonly submission: HomeworkSubmissionRecord;
  readonly current: HomeworkEvidenceRecord | undefined;
}) {
  const { t } = useTranslation();
  // The viewer's keys (+, -, 0, r) are live while the pointer or focus is on it, so that the
  // grading keys (1–9, a, r) work everywhere else on the page.
  const [active, setActive] = useState<number | null>(null);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {t('homework.grading.evidence.screenshots')}
      </Text>
      {submission.screenshots.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('homework.grading.evidence.noScreenshots')}
        </Text>
      )}
      {submission.screenshots.map((fileId, index) => (
        <Box
          key={fileId}
          data-testid="evidence-screenshot"
          onMouseEnter={() => {
            setActive(index);
          }}
          onMouseLeave={() => {
            setActive(null);
          }}
          onFocusCapture={() => {
            setActive(index);
          }}
          onBlurCapture={() => {
            setActive(null);
          }}
        >
          <Screenshot
            workspace={workspace}
            fileId={fileId}
            sha256={
              current?.screenshots.length === submission.screenshots.length
                ? (current.screenshots[index] ?? null)
                : null
            }
            name={t('homework.grading.evidence.screenshot', { n: index + 1 })}
            active={active === index}
          />
        </Box>
      ))}
    </Stack>
  );
}

function Screenshot({
  workspace,
  fileId,
  sha256,
  name,
  active,
}: {
  readonly workspace: Workspace;
  readonly fileId: string;
  readonly sha256: string | null;
  readonly name: string;
  readonly active: boolean;
}) {
  const state = useFileBlob(workspace, { id: fileId, sha256 });
  if (state.status !== 'ready') {
    return <FileLoadStatus state={state} retry={state.retry} />;
  }
  return <ImageViewer blob={state.blob} fileName={name} active={active} />;
}

function TextChange({ before, after }: { readonly before: string; readonly after: string }) {
  const segments = useMemo(() => diffText(before, after).segments, [before, after]);
  return <TextDiff segments={segments} />;
}
