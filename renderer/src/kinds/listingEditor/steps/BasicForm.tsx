import { Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { COUNTRIES, COUNTRY_CODES } from '#shared/domain/listing/countries';
import {
  INTAKE_LABELS,
  INTAKES,
  LISTING_LIMITS,
  STAGE_LABELS,
  STAGES,
} from '#shared/domain/listing/document';
import { countVisibleCharacters } from '#shared/domain/listing/richText';
import { RichText } from '../../../features/item/RichText';
import { getAt } from '../draftDocument';
import { MultiSelectField, SelectField, TextField, useEditor } from '../fields';
import { useEditorT } from '../text';

/** Step 1, 基础信息: name, country, stages, intakes, introduction (with a sanitized preview). */
export function BasicForm() {
  const editor = useEditor();
  const t = useEditorT();
  const locale = editor.locale;
  const introduction = getAt(editor.doc, ['basic', 'introduction']);
  return (
    <Stack gap="md">
      <TextField
        path={['basic', 'name']}
        max={LISTING_LIMITS.nameMax}
        required
        description={t('listingEditor.hint.name')}
      />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <SelectField
          path={['basic', 'country']}
          required
          searchable
          options={COUNTRY_CODES.map((code) => ({
            value: code,
            label: COUNTRIES[code].name[locale],
          }))}
        />
        <MultiSelectField
          path={['basic', 'stages']}
          required
          options={STAGES.map((stage) => ({ value: stage, label: STAGE_LABELS[stage][locale] }))}
        />
        <MultiSelectField
          path={['basic', 'intakes']}
          required
          options={INTAKES.map((intake) => ({
            value: intake,
            label: INTAKE_LABELS[intake][locale],
          }))}
        />
      </SimpleGrid>
      <TextField
        path={['basic', 'introduction']}
        max={LISTING_LIMITS.introductionMaxVisible}
        count={countVisibleCharacters}
        required
        multiline
        description={t('listingEditor.hint.richText')}
      />
      {typeof introduction === 'string' && introduction.trim() !== '' && (
        <Paper withBorder p="sm" data-testid="introduction-preview">
          <Text size="xs" c="dimmed" mb={4}>
            {t('listingEditor.preview')}
          </Text>
          <RichText html={introduction} />
        </Paper>
      )}
    </Stack>
  );
}
