import {
  Alert,
  Button,
  FileButton,
  Group,
  Paper,
  Progress,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ocrErrorMessage, type OcrError, type PrefillValue } from '#shared/ocr/index';
import type { ReviewDeskDb } from '../../../db/database';
import { useEditor } from '../fields';
import { useEditorT } from '../text';
import { writeProposal } from './accept';
import { createCropRenderer, type CropRenderer } from './crop';
import {
  readDossier,
  workerReader,
  type DossierProgress,
  type DossierReading,
  type ReadFile,
} from './dossier';
import { ProposalCard, type ProposalDecision } from './ProposalCard';

/** What the file picker offers (the OCR pipeline checks the bytes themselves). */
const ACCEPT = 'application/pdf,image/jpeg,image/png,image/webp,.pdf,.jpg,.jpeg,.png,.webp';

type Phase =
  | { readonly status: 'idle' }
  | { readonly status: 'reading'; readonly progress: DossierProgress | null }
  | { readonly status: 'done'; readonly reading: DossierReading };

const PENDING: ProposalDecision = { state: 'pending' };

function isoNow(now: number): string {
  return new Date(now).toISOString();
}

/**
 * "Pre-fill from dossier" (issue 11): the assistant picks the scanned dossier, the on-device OCR
 * reads it, and each proposed value is a card to accept, correct or dismiss. Accepted values are
 * written with their provenance through the editor's `update` (so they autosave like typing);
 * nothing is written without the assistant's click.
 */
export function PrefillPanel({
  db,
  enteredBy,
  readFile,
  renderCrop,
  now = Date.now,
}: {
  readonly db: ReviewDeskDb;
  /** Who accepts the values (kept in the provenance). */
  readonly enteredBy: string;
  /** Reads one file (default: the workstation's OCR worker, readings kept on the device). */
  readonly readFile?: ReadFile;
  /** Draws a proposal's region (default: from the page, through pdf.js or the image). */
  readonly renderCrop?: CropRenderer;
  readonly now?: () => number;
}) {
  const t = useEditorT();
  const { t: tAny } = useTranslation();
  const { doc, update, locale, readOnly } = useEditor();
  const [open, setOpen] = useState(false);
  const [phase, setPhase] = useState<Phase>({ status: 'idle' });
  const [decisions, setDecisions] = useState<ReadonlyMap<string, ProposalDecision>>(new Map());
  const controller = useRef<AbortController | null>(null);
  const read = useMemo(() => readFile ?? workerReader(db), [readFile, db]);
  // A fresh renderer per reading keeps its drawn pages no longer than the proposals.
  const crops = useMemo(
    () => renderCrop ?? createCropRenderer(db),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one per reading
    [renderCrop, db, phase.status === 'done' ? phase.reading : null],
  );

  useEffect(
    () => () => {
      controller.current?.abort();
    },
    [],
  );

  const start = (files: readonly File[]) => {
    if (files.length === 0) {
      return;
    }
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setPhase({ status: 'reading', progress: null });
    void readDossier(files, {
      read,
      document: doc,
      signal: abort.signal,
      onProgress: (progress) => {
        if (controller.current === abort) {
          setPhase({ status: 'reading', progress });
        }
      },
    }).then(
      (reading) => {
        if (controller.current === abort) {
          setDecisions(new Map());
          setPhase({ status: 'done', reading });
        }
      },
      () => {
        if (controller.current === abort) {
          setPhase({ status: 'idle' });
        }
      },
    );
  };

  const decide = (id: string, decision: ProposalDecision) => {
    setDecisions((previous) => new Map(previous).set(id, decision));
  };

  const accept = (id: string, value?: PrefillValue) => {
    if (phase.status !== 'done' || readOnly) {
      return;
    }
    const proposal = phase.reading.proposals.find((candidate) => candidate.id === id);
    if (proposal === undefined) {
      return;
    }
    const path = writeProposal(
      doc,
      proposal,
      { enteredBy, at: isoNow(now()), ...(value === undefined ? {} : { value }) },
      update,
    );
    decide(id, {
      state: 'accepted',
      path,
      edited: value !== undefined && JSON.stringify(value) !== JSON.stringify(proposal.value),
    });
  };

  const reading = phase.status === 'done' ? phase.reading : null;
  const progress = phase.status === 'reading' ? phase.progress : null;

  return (
    <Paper
      withBorder
      p="md"
      data-testid="prefill-panel"
      component="section"
      aria-labelledby="prefill-title"
    >
      <Stack gap="sm">
        <Group justify="space-between" align="start">
          <div>
            <Title order={4} id="prefill-title">
              {t('listingEditor.prefill.title')}
            </Title>
            {open && (
              <Text size="sm" c="dimmed" maw={640}>
                {t('listingEditor.prefill.intro')}
              </Text>
            )}
          </div>
          <Group gap="xs">
            {!open ? (
              <Button
                variant="light"
                data-testid="prefill-open"
                disabled={readOnly}
                onClick={() => {
                  setOpen(true);
                }}
              >
                {t('listingEditor.prefill.open')}
              </Button>
            ) : phase.status === 'reading' ? (
              <Button
                variant="default"
                data-testid="prefill-cancel"
                onClick={() => {
                  controller.current?.abort();
                  controller.current = null;
                  setPhase({ status: 'idle' });
                }}
              >
                {t('listingEditor.prefill.cancel')}
              </Button>
            ) : (
              <FileButton
                multiple
                accept={ACCEPT}
                onChange={(files) => {
                  start(files);
                }}
                disabled={readOnly}
                inputProps={{ 'data-testid': 'prefill-input' } as Record<string, string>}
              >
                {(props) => (
                  <Button {...props} data-testid="prefill-pick" disabled={readOnly}>
                    {reading === null
                      ? t('listingEditor.prefill.pick')
                      : t('listingEditor.prefill.pickMore')}
                  </Button>
                )}
              </FileButton>
            )}
          </Group>
        </Group>
        {phase.status === 'reading' && (
          <Stack gap={4} data-testid="prefill-progress" role="status" aria-live="polite">
            <Text size="sm">
              {progress === null
                ? tAny('ocrView.stage.starting')
                : `${t('listingEditor.prefill.reading', {
                    file: progress.fileName,
                    index: progress.file,
                    count: progress.files,
                  })} · ${
                    progress.ocr === null
                      ? tAny('ocrView.stage.starting')
                      : tAny(`ocrView.stage.${progress.ocr.stage}`, {
                          page: progress.ocr.page ?? 1,
                          pages: progress.ocr.pages ?? 1,
                        })
                  }`}
            </Text>
            <Progress value={(progress?.fraction ?? 0) * 100} size="sm" animated />
          </Stack>
        )}
        {reading !== null && reading.failures.length > 0 && (
          <Alert color="red" title={t('listingEditor.prefill.failedTitle')} role="alert">
            <Stack gap={2}>
              {reading.failures.map((failure) => (
                <Text
                  size="sm"
                  key={failure.fileName}
                  data-testid="prefill-error"
                  data-code={failure.error.code}
                >
                  {failureText(failure.fileName, failure.error)}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
        {reading !== null && reading.warnings.length > 0 && (
          <Alert color="yellow">
            {reading.warnings.map(({ fileName, warning }, index) => (
              <Text
                size="sm"
                key={`${fileName}-${String(index)}`}
                data-testid="prefill-warning"
                data-code={warning.code}
              >
                {t('listingEditor.prefill.warning', {
                  file: fileName,
                  message: warning.message[locale],
                })}
              </Text>
            ))}
          </Alert>
        )}
        {reading !== null && (
          <Text size="sm" data-testid="prefill-summary" data-count={reading.proposals.length}>
            {reading.proposals.length === 0
              ? t('listingEditor.prefill.noProposals')
              : t('listingEditor.prefill.readingDone', {
                  count: reading.proposals.length,
                  files: reading.files.length,
                })}
          </Text>
        )}
        {reading !== null && reading.proposals.length > 0 && (
          <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {reading.proposals.map((proposal) => (
              <ProposalCard
                key={proposal.id}
                proposal={proposal}
                file={reading.files.find((file) => file.name === proposal.source.fileName)}
                decision={decisions.get(proposal.id) ?? PENDING}
                locale={locale}
                readOnly={readOnly}
                renderCrop={crops}
                onAccept={(value) => {
                  accept(proposal.id, value);
                }}
                onDismiss={() => {
                  decide(proposal.id, { state: 'dismissed' });
                }}
              />
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );

  function failureText(fileName: string, error: OcrError): string {
    if (error.code === 'TOO_MANY_PAGES') {
      return t('listingEditor.prefill.tooManyPages', {
        file: fileName,
        pages: String(error.params['pages'] ?? '?'),
        max: String(error.params['maxPages'] ?? '?'),
      });
    }
    return t('listingEditor.prefill.failed', {
      file: fileName,
      reason: ocrErrorMessage(error, locale),
    });
  }
}
