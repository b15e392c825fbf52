import { SimpleGrid, Stack, Title } from '@mantine/core';
import { fieldLabel } from '#shared/domain/listing/fieldLabels';
import { LISTING_LIMITS } from '#shared/domain/listing/document';
import { listAt, newItemId } from '../draftDocument';
import { IntegerField, MultiSelectField, TextField, useEditor, type Option } from '../fields';
import { Repeater } from '../Repeater';
import { useEditorT } from '../text';

/** Step 2, 服务亮点: up to 6 advantages, verified mentors, success cases. */
export function HighlightsForm({ mentors }: { readonly mentors: readonly Option[] }) {
  const editor = useEditor();
  const t = useEditorT();
  const locale = editor.locale;
  const chosen = listAt(editor.doc, ['highlights', 'mentors']);
  const chosenIds = chosen.flatMap((ref) =>
    typeof ref === 'object' &&
    ref !== null &&
    typeof (ref as { mentorId?: unknown }).mentorId === 'string'
      ? [(ref as { mentorId: string }).mentorId]
      : [],
  );
  // Mentors the document names that this device does not know stay selectable (and reported).
  const options = [
    ...mentors,
    ...chosenIds
      .filter((id) => !mentors.some((m) => m.value === id))
      .map((id) => ({ value: id, label: id })),
  ];
  return (
    <Stack gap="lg">
      <div>
        <Title order={4} mb="xs">
          {fieldLabel(['highlights', 'advantages'])[locale]}
        </Title>
        <Repeater
          path={['highlights', 'advantages']}
          max={LISTING_LIMITS.advantagesMaxItems}
          newItem={() => ''}
          addLabel={t('listingEditor.add.advantage')}
          testId="advantages"
          renderItem={(index) => (
            <TextField
              path={['highlights', 'advantages', index]}
              max={LISTING_LIMITS.advantageMax}
            />
          )}
        />
      </div>
      <MultiSelectFieldForMentors options={options} chosenIds={chosenIds} />
      <div>
        <Title order={4} mb="xs">
          {fieldLabel(['highlights', 'successCases'])[locale]}
        </Title>
        <Repeater
          path={['highlights', 'successCases']}
          max={LISTING_LIMITS.successCasesMaxItems}
          newItem={() => ({
            id: newItemId('case'),
            studentBackground: '',
            result: '',
            highlight: '',
          })}
          addLabel={t('listingEditor.add.successCase')}
          testId="success-cases"
          renderItem={(index) => {
            const base = ['highlights', 'successCases', index] as const;
            return (
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <IntegerField
                  path={[...base, 'year']}
                  min={LISTING_LIMITS.successCaseYearMin}
                  max={LISTING_LIMITS.successCaseYearMax}
                  required
                />
                <TextField
                  path={[...base, 'studentBackground']}
                  max={LISTING_LIMITS.successCaseTextMax}
                  required
                />
                <TextField
                  path={[...base, 'result']}
                  max={LISTING_LIMITS.successCaseTextMax}
                  required
                />
                <TextField
                  path={[...base, 'highlight']}
                  max={LISTING_LIMITS.successCaseTextMax}
                  required
                />
              </SimpleGrid>
            );
          }}
        />
      </div>
    </Stack>
  );
}

/**
 * The mentors as a multi-select of verified profiles; the document keeps `{ id, mentorId }`
 * references, so the selection is written through a small adapter.
 */
function MultiSelectFieldForMentors({
  options,
  chosenIds,
}: {
  readonly options: readonly Option[];
  readonly chosenIds: readonly string[];
}) {
  const editor = useEditor();
  const t = useEditorT();
  return (
    <MultiSelectField
      path={['highlights', 'mentors']}
      options={options}
      readValue={() => [...chosenIds]}
      onSelect={(ids) => {
        const existing = listAt(editor.doc, ['highlights', 'mentors']);
        editor.update(
          ['highlights', 'mentors'],
          ids.map(
            (mentorId) =>
              existing.find(
                (ref) =>
                  typeof ref === 'object' &&
                  ref !== null &&
                  (ref as { mentorId?: unknown }).mentorId === mentorId,
              ) ?? { id: newItemId('mentor'), mentorId },
          ),
        );
      }}
      placeholder={options.length === 0 ? t('listingEditor.noMentors') : undefined}
    />
  );
}
