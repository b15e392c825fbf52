import { SimpleGrid, Stack, Switch } from '@mantine/core';
import {
  DURATION_UNIT_LABELS,
  DURATION_UNITS,
  LISTING_LIMITS,
  REQUIREMENT_CATEGORIES,
  REQUIREMENT_CATEGORY_LABELS,
} from '#shared/domain/listing/document';
import { getAt, newItemId } from '../draftDocument';
import { IntegerField, SelectField, shortLabel, TextField, useEditor } from '../fields';
import { Repeater } from '../Repeater';
import { useEditorT } from '../text';

/** Step 4, 服务流程: the timeline nodes (stage, duration, deliverable, acceptance). */
export function ProcessForm() {
  const editor = useEditor();
  const t = useEditorT();
  return (
    <Repeater
      path={['process', 'timeline']}
      max={LISTING_LIMITS.timelineMaxNodes}
      newItem={() => ({
        id: newItemId('node'),
        stageName: '',
        duration: { unit: 'week' },
        deliverable: '',
        acceptanceCriteria: '',
      })}
      addLabel={t('listingEditor.add.timelineNode')}
      testId="timeline"
      renderItem={(index) => {
        const base = ['process', 'timeline', index] as const;
        return (
          <Stack gap="sm">
            <TextField path={[...base, 'stageName']} max={LISTING_LIMITS.stageNameMax} required />
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <IntegerField
                path={[...base, 'duration', 'value']}
                min={1}
                max={LISTING_LIMITS.durationValueMax}
                required
              />
              <SelectField
                path={[...base, 'duration', 'unit']}
                required
                options={DURATION_UNITS.map((unit) => ({
                  value: unit,
                  label: DURATION_UNIT_LABELS[unit][editor.locale],
                }))}
              />
            </SimpleGrid>
            <TextField
              path={[...base, 'deliverable']}
              max={LISTING_LIMITS.timelineTextMax}
              required
            />
            <TextField
              path={[...base, 'acceptanceCriteria']}
              max={LISTING_LIMITS.timelineTextMax}
              required
            />
          </Stack>
        );
      }}
    />
  );
}

/** Step 5, 所需资料: admission conditions, each a must or a plus. */
export function RequirementsForm() {
  const editor = useEditor();
  const t = useEditorT();
  return (
    <Repeater
      path={['requirements', 'items']}
      max={LISTING_LIMITS.requirementsMaxItems}
      newItem={() => ({ id: newItemId('req'), category: 'academic', text: '', required: true })}
      addLabel={t('listingEditor.add.requirement')}
      testId="requirements"
      renderItem={(index) => {
        const base = ['requirements', 'items', index] as const;
        return (
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <SelectField
                path={[...base, 'category']}
                required
                options={REQUIREMENT_CATEGORIES.map((category) => ({
                  value: category,
                  label: REQUIREMENT_CATEGORY_LABELS[category][editor.locale],
                }))}
              />
              <Switch
                mt="lg"
                label={shortLabel([...base, 'required'])[editor.locale]}
                checked={getAt(editor.doc, [...base, 'required']) === true}
                disabled={editor.readOnly}
                onChange={(event) => {
                  editor.update([...base, 'required'], event.currentTarget.checked);
                }}
              />
            </SimpleGrid>
            <TextField path={[...base, 'text']} max={LISTING_LIMITS.requirementTextMax} required />
          </Stack>
        );
      }}
    />
  );
}
