import {
  Badge,
  Button,
  Checkbox,
  Group,
  Image,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useEffect, useState } from 'react';
import { DURATION_UNIT_LABELS, DURATION_UNITS } from '#shared/domain/listing/document';
import { CURRENCY_CODES, isCurrencyCode } from '#shared/domain/money/currencies';
import type { Locale } from '#shared/i18n/localized';
import type { PrefillProposal, PrefillSource, PrefillValue } from '#shared/ocr/index';
import { pathLabel } from '../../../features/item/fields';
import { useEditorT } from '../text';
import type { CropRenderer } from './crop';
import type { DossierFile } from './dossier';

/** Below this confidence a value is marked "verify by eye" (as in the reviewer's OCR panel). */
export const LOW_CONFIDENCE = 0.7;

export type ProposalDecision =
  | { readonly state: 'pending' }
  | { readonly state: 'accepted'; readonly path: string; readonly edited: boolean }
  | { readonly state: 'dismissed' };

/** A proposal's value as people read it. */
export function formatPrefillValue(value: PrefillValue, locale: Locale, longTerm: string): string {
  if (value === null) {
    return longTerm;
  }
  if (typeof value === 'string') {
    return value;
  }
  if ('amount' in value) {
    return `${value.currency} ${value.amount}`;
  }
  return `${String(value.value)} ${DURATION_UNIT_LABELS[value.unit][locale]}`;
}

/** The region of the page the value was read from. */
function Crop({
  proposal,
  file,
  renderCrop,
}: {
  readonly proposal: PrefillProposal;
  readonly file: DossierFile | undefined;
  readonly renderCrop: CropRenderer;
}) {
  const t = useEditorT();
  const { source } = proposal;
  // The drawn crop, for the source it was drawn from (null: it could not be drawn).
  const [drawn, setDrawn] = useState<{
    readonly for: PrefillSource;
    readonly url: string | null;
  }>();
  useEffect(() => {
    let live = true;
    if (file === undefined) {
      return;
    }
    renderCrop(file, source.page, source.bbox).then(
      (url) => {
        if (live) {
          setDrawn({ for: source, url });
        }
      },
      () => {
        if (live) {
          setDrawn({ for: source, url: null });
        }
      },
    );
    return () => {
      live = false;
    };
  }, [file, source, renderCrop]);
  const url =
    file === undefined ? 'failed' : drawn?.for !== source ? 'loading' : (drawn.url ?? 'failed');
  const alt = t('listingEditor.prefill.crop', { file: source.fileName, page: source.page });
  if (url === 'loading' || url === 'failed') {
    return (
      <Text size="xs" c="dimmed" data-testid="proposal-crop" data-state={url}>
        {url === 'failed' ? t('listingEditor.prefill.cropUnavailable') : '…'}
      </Text>
    );
  }
  return (
    <Image
      src={url}
      alt={alt}
      title={alt}
      data-testid="proposal-crop"
      data-state="ready"
      maw={360}
      mah={90}
      fit="contain"
      radius="xs"
      style={{ border: '1px solid var(--mantine-color-default-border)', alignSelf: 'flex-start' }}
    />
  );
}

/** Inputs for correcting a proposed value, by its kind. */
function ValueEditor({
  proposal,
  value,
  onChange,
  locale,
}: {
  readonly proposal: PrefillProposal;
  readonly value: PrefillValue;
  readonly onChange: (value: PrefillValue) => void;
  readonly locale: Locale;
}) {
  const t = useEditorT();
  if (value !== null && typeof value === 'object' && 'amount' in value) {
    return (
      <Group gap="xs" align="end">
        <TextInput
          label={t('listingEditor.prefill.amount')}
          data-testid="proposal-edit-amount"
          value={value.amount}
          onChange={(event) => {
            onChange({ ...value, amount: event.currentTarget.value.trim() });
          }}
          w={160}
        />
        <Select
          label={t('listingEditor.prefill.currency')}
          data-testid="proposal-edit-currency"
          data={[...CURRENCY_CODES]}
          value={value.currency}
          allowDeselect={false}
          onChange={(code) => {
            if (isCurrencyCode(code)) {
              onChange({ ...value, currency: code });
            }
          }}
          w={110}
        />
      </Group>
    );
  }
  if (value !== null && typeof value === 'object') {
    return (
      <Group gap="xs" align="end">
        <NumberInput
          label={t('listingEditor.prefill.durationValue')}
          data-testid="proposal-edit-duration"
          value={value.value}
          min={1}
          allowDecimal={false}
          onChange={(next) => {
            onChange({ ...value, value: typeof next === 'number' ? next : Number(next) });
          }}
          w={110}
        />
        <Select
          label={t('listingEditor.prefill.durationUnit')}
          data={DURATION_UNITS.map((unit) => ({
            value: unit,
            label: DURATION_UNIT_LABELS[unit][locale],
          }))}
          value={value.unit}
          allowDeselect={false}
          onChange={(unit) => {
            const chosen = DURATION_UNITS.find((candidate) => candidate === unit);
            if (chosen !== undefined) {
              onChange({ ...value, unit: chosen });
            }
          }}
          w={110}
        />
      </Group>
    );
  }
  const longTermAllowed = proposal.field === 'licenceValidUntil';
  return (
    <Group gap="xs" align="end">
      <TextInput
        label={t('listingEditor.prefill.value')}
        data-testid="proposal-edit-value"
        value={value ?? ''}
        disabled={value === null}
        onChange={(event) => {
          onChange(event.currentTarget.value);
        }}
        w={360}
      />
      {longTermAllowed && (
        <Checkbox
          label={t('listingEditor.prefill.longTerm')}
          checked={value === null}
          onChange={(event) => {
            onChange(event.currentTarget.checked ? null : '');
          }}
        />
      )}
    </Group>
  );
}

function editedValueValid(value: PrefillValue): boolean {
  if (value === null) {
    return true;
  }
  if (typeof value === 'string') {
    return value.trim() !== '';
  }
  if ('amount' in value) {
    return /^(0|[1-9]\d{0,14})(\.\d{1,2})?$/.test(value.amount);
  }
  return Number.isInteger(value.value) && value.value >= 1;
}

/** One proposal: value, source (file, page, crop, confidence), accept / edit / dismiss. */
export function ProposalCard({
  proposal,
  file,
  decision,
  locale,
  readOnly,
  renderCrop,
  onAccept,
  onDismiss,
}: {
  readonly proposal: PrefillProposal;
  readonly file: DossierFile | undefined;
  readonly decision: ProposalDecision;
  readonly locale: Locale;
  readonly readOnly: boolean;
  readonly renderCrop: CropRenderer;
  readonly onAccept: (value?: PrefillValue) => void;
  readonly onDismiss: () => void;
}) {
  const t = useEditorT();
  const [editing, setEditing] = useState<PrefillValue | undefined>(undefined);
  const [invalid, setInvalid] = useState(false);
  const { source } = proposal;
  const longTerm = t('listingEditor.prefill.longTerm');
  const label = pathLabel(decision.state === 'accepted' ? decision.path : proposal.path, locale);
  const percent = Math.round(source.confidence * 100);
  const stateText =
    decision.state === 'accepted'
      ? decision.edited
        ? t('listingEditor.prefill.state.acceptedEdited')
        : t('listingEditor.prefill.state.accepted')
      : decision.state === 'dismissed'
        ? t('listingEditor.prefill.state.dismissed')
        : t('listingEditor.prefill.state.pending');
  return (
    <Paper
      withBorder
      p="sm"
      data-testid="ocr-proposal"
      data-field={proposal.path}
      data-prefill-field={proposal.field}
      data-state={decision.state}
      data-applied-path={decision.state === 'accepted' ? decision.path : undefined}
      style={{ opacity: decision.state === 'dismissed' ? 0.6 : 1 }}
      component="li"
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="start">
          <div>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
            <Text fw={600} data-testid="proposal-value">
              {formatPrefillValue(proposal.value, locale, longTerm)}
            </Text>
          </div>
          <Group gap={4}>
            {proposal.repaired === true && (
              <Badge size="xs" variant="light" color="grape">
                {t('listingEditor.prefill.repaired')}
              </Badge>
            )}
            {source.confidence < LOW_CONFIDENCE && (
              <Badge size="xs" variant="light" color="orange">
                {t('listingEditor.prefill.lowConfidence')}
              </Badge>
            )}
            <Badge
              size="sm"
              variant="light"
              data-testid="proposal-state"
              color={
                decision.state === 'accepted'
                  ? 'green'
                  : decision.state === 'dismissed'
                    ? 'gray'
                    : 'blue'
              }
            >
              {stateText}
            </Badge>
          </Group>
        </Group>
        <Crop proposal={proposal} file={file} renderCrop={renderCrop} />
        <Text size="xs" c="dimmed" data-testid="proposal-source">
          {t('listingEditor.prefill.source', {
            file: source.fileName,
            page: source.page,
            confidence: percent,
          })}
          {source.text !== '' && ` · ${t('listingEditor.prefill.read', { text: source.text })}`}
        </Text>
        {decision.state === 'pending' && !readOnly && editing !== undefined && (
          <Stack gap={4}>
            <ValueEditor
              proposal={proposal}
              value={editing}
              locale={locale}
              onChange={(next) => {
                setInvalid(false);
                setEditing(next);
              }}
            />
            {invalid && (
              <Text size="xs" c="red" role="alert">
                {t('listingEditor.prefill.invalid')}
              </Text>
            )}
            <Group gap="xs">
              <Button
                size="xs"
                data-testid="proposal-accept-edited"
                onClick={() => {
                  if (!editedValueValid(editing)) {
                    setInvalid(true);
                    return;
                  }
                  onAccept(editing);
                  setEditing(undefined);
                }}
              >
                {t('listingEditor.prefill.acceptEdited')}
              </Button>
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  setEditing(undefined);
                  setInvalid(false);
                }}
              >
                {t('listingEditor.prefill.cancelEdit')}
              </Button>
            </Group>
          </Stack>
        )}
        {decision.state === 'pending' && !readOnly && editing === undefined && (
          <Group gap="xs">
            <Button
              size="xs"
              data-testid="proposal-accept"
              onClick={() => {
                onAccept();
              }}
            >
              {t('listingEditor.prefill.accept')}
            </Button>
            <Button
              size="xs"
              variant="default"
              data-testid="proposal-edit"
              onClick={() => {
                setEditing(proposal.value);
              }}
            >
              {t('listingEditor.prefill.edit')}
            </Button>
            <Button
              size="xs"
              variant="subtle"
              color="gray"
              data-testid="proposal-dismiss"
              onClick={onDismiss}
            >
              {t('listingEditor.prefill.dismiss')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
