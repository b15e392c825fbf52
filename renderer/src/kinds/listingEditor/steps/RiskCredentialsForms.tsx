import {
  Alert,
  Checkbox,
  FileInput,
  Group,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import {
  CREDENTIAL_KIND_LABELS,
  CREDENTIAL_KINDS,
  CREDENTIAL_MIME_TYPES,
  LISTING_LIMITS,
  REQUIRED_CREDENTIAL,
  isRecord,
} from '#shared/domain/listing/document';
import type { FieldPath } from '#shared/domain/validationIssue';
import { getAt, listAt } from '../draftDocument';
import type { UploadedFile } from '../draftStore';
import { CheckboxField, SelectField, TextField, useFieldProps, useEditor } from '../fields';
import { Repeater } from '../Repeater';
import { useEditorT } from '../text';

/** Step 6, 风险与保障: the disclosure, the after-sales policy and the confirmation. */
export function RiskForm({ now }: { readonly now: () => number }) {
  const t = useEditorT();
  const editor = useEditor();
  return (
    <Stack gap="md">
      <TextField
        path={['risk', 'disclosure']}
        max={LISTING_LIMITS.riskDisclosureMax}
        multiline
        required
      />
      <TextField
        path={['risk', 'afterSalesPolicy']}
        max={LISTING_LIMITS.afterSalesPolicyMax}
        multiline
      />
      <Alert color="yellow" variant="light" title={t('listingEditor.risk.title')}>
        <Text size="sm" mb="sm">
          {t('listingEditor.risk.body')}
        </Text>
        <CheckboxField
          path={['risk', 'confirmed']}
          label={t('listingEditor.risk.confirm')}
          onChecked={(checked) => {
            editor.update(
              ['risk', 'confirmedAt'],
              checked ? new Date(now()).toISOString() : undefined,
            );
          }}
        />
      </Alert>
    </Stack>
  );
}

/** A calendar date (`YYYY-MM-DD`), the browser's date input; cleared, it is removed. */
function DateField({ path, required }: { readonly path: FieldPath; readonly required?: boolean }) {
  const field = useFieldProps(path);
  return (
    <TextInput
      type="date"
      label={field.label}
      required={required === true}
      value={typeof field.value === 'string' ? field.value : ''}
      error={field.error ?? field.warning}
      {...field.input}
      onChange={(event) => {
        const value = event.currentTarget.value;
        field.editor.update(path, value === '' ? undefined : value);
      }}
    />
  );
}

/** 有效期至: a date, or 长期 (`null`, no expiry), which must be chosen, not left out. */
function ExpiryField({ base }: { readonly base: FieldPath }) {
  const editor = useEditor();
  const t = useEditorT();
  const path = [...base, 'validUntil'];
  const permanent = getAt(editor.doc, path) === null;
  return (
    <Stack gap={4}>
      {!permanent && <DateField path={path} required />}
      <Checkbox
        label={t('listingEditor.credentials.permanent')}
        checked={permanent}
        disabled={editor.readOnly}
        onChange={(event) => {
          editor.update(path, event.currentTarget.checked ? null : undefined);
        }}
      />
    </Stack>
  );
}

const ACCEPTED = CREDENTIAL_MIME_TYPES.join(',');

/**
 * Step 7, 资质文件: uploads go to the server's upload route (the listing must exist there
 * first), and each file gets its kind and validity dates; the required licence or certificate
 * is reported by the validator when missing.
 */
export function CredentialsForm({
  listingId,
  online,
  upload,
}: {
  /** The server's listing id; empty while the draft exists only on this device. */
  readonly listingId: string;
  readonly online: boolean;
  readonly upload: (file: File) => Promise<UploadedFile>;
}) {
  const editor = useEditor();
  const t = useEditorT();
  const locale = editor.locale;
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const files = listAt(editor.doc, ['credentials', 'files']);
  const provider = getAt(editor.doc, ['provider', 'kind']);
  const needed =
    provider === 'institution' || provider === 'tutor' ? REQUIRED_CREDENTIAL[provider].kind : null;

  const onFile = async (file: File | null) => {
    setUploadError(null);
    if (file === null) {
      return;
    }
    if (!(CREDENTIAL_MIME_TYPES as readonly string[]).includes(file.type)) {
      setUploadError(t('listingEditor.credentials.wrongType', { name: file.name }));
      return;
    }
    if (file.size > LISTING_LIMITS.credentialFileMaxBytes) {
      setUploadError(t('listingEditor.credentials.tooLarge', { name: file.name }));
      return;
    }
    setBusy(true);
    try {
      const stored = await upload(file);
      const hasNeeded = files.some((entry) => isRecord(entry) && entry['kind'] === needed);
      editor.update(
        ['credentials', 'files'],
        [
          ...files.filter((entry) => !(isRecord(entry) && entry['id'] === stored.id)),
          {
            id: stored.id,
            kind: needed !== null && !hasNeeded ? needed : 'other',
            fileName: stored.originalName.slice(0, LISTING_LIMITS.fileNameMax),
            mimeType: stored.mimeType,
            sizeBytes: stored.sizeBytes,
            sha256: stored.sha256,
          },
        ],
      );
    } catch (error) {
      setUploadError(
        t('listingEditor.credentials.failed', {
          reason: error instanceof Error ? error.message : String(error),
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  const canUpload = listingId !== '' && online && !editor.readOnly;
  return (
    <Stack gap="md">
      <Group align="end">
        <FileInput
          label={t('listingEditor.credentials.upload')}
          description={t('listingEditor.credentials.accepted')}
          accept={ACCEPTED}
          value={null}
          disabled={!canUpload || busy}
          data-testid="credential-upload"
          onChange={(file) => {
            void onFile(file);
          }}
          error={uploadError}
          w={360}
        />
      </Group>
      {!canUpload && !editor.readOnly && (
        <Text size="sm" c="dimmed" data-testid="upload-unavailable">
          {listingId === ''
            ? t('listingEditor.credentials.needsServer')
            : t('listingEditor.credentials.offline')}
        </Text>
      )}
      <Repeater
        path={['credentials', 'files']}
        max={LISTING_LIMITS.credentialFilesMaxItems}
        newItem={() => ({})}
        hideAdd
        addLabel=""
        testId="credential-files"
        renderItem={(index) => {
          const base = ['credentials', 'files', index] as const;
          const name = getAt(editor.doc, [...base, 'fileName']);
          return (
            <Stack gap="sm">
              <Text size="sm" data-testid="credential-file-name">
                {typeof name === 'string' ? name : '—'}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <SelectField
                  path={[...base, 'kind']}
                  required
                  options={CREDENTIAL_KINDS.map((kind) => ({
                    value: kind,
                    label: CREDENTIAL_KIND_LABELS[kind][locale],
                  }))}
                />
                <DateField path={[...base, 'validFrom']} />
                <ExpiryField base={base} />
              </SimpleGrid>
            </Stack>
          );
        }}
      />
    </Stack>
  );
}
