import { Group, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { fieldLabel } from '#shared/domain/listing/fieldLabels';
import {
  LISTING_LIMITS,
  PRICE_KIND_LABELS,
  PRICE_KINDS,
  REFUND_TEMPLATE_IDS,
  REFUND_TEMPLATES,
  isRecord,
} from '#shared/domain/listing/document';
import { countVisibleCharacters } from '#shared/domain/listing/richText';
import { CURRENCIES, CURRENCY_CODES } from '#shared/domain/money/currencies';
import { PriceValue, readPrice } from '../../../features/item/steps/PriceValue';
import { getAt, newItemId } from '../draftDocument';
import { IntegerField, SelectField, TextField, useEditor } from '../fields';
import { Repeater } from '../Repeater';
import { useEditorT } from '../text';

/**
 * A package price in any currency of the money module: fixed or a range, amounts typed as
 * decimal strings (never floats), and the CNY equivalent at today's rate beside it (the same
 * rendering the reviewer sees).
 */
export function PriceEditor({ index, today }: { readonly index: number; readonly today: string }) {
  const editor = useEditor();
  const t = useEditorT();
  const locale = editor.locale;
  const path = ['packages', 'items', index, 'price'] as const;
  const price = getAt(editor.doc, path);
  const kind = isRecord(price) && price['kind'] === 'range' ? 'range' : 'fixed';
  const setKind = (next: string) => {
    const current = isRecord(price) ? price : {};
    const currency = current['currency'];
    const amount = typeof current['amount'] === 'string' ? current['amount'] : '';
    const min = typeof current['min'] === 'string' ? current['min'] : amount;
    editor.update(
      path,
      next === 'range'
        ? {
            kind: 'range',
            currency,
            min,
            max: typeof current['max'] === 'string' ? current['max'] : '',
          }
        : { kind: 'fixed', currency, amount: min },
    );
  };
  return (
    <Stack gap="xs" data-testid="price-editor">
      <Group gap="sm" align="end">
        <div>
          <Text size="sm" fw={500} mb={4}>
            {fieldLabel([...path, 'kind'])
              [locale].split(' › ')
              .at(-1)}
          </Text>
          <SegmentedControl
            size="xs"
            value={kind}
            disabled={editor.readOnly}
            data={PRICE_KINDS.map((value) => ({ value, label: PRICE_KIND_LABELS[value][locale] }))}
            onChange={setKind}
          />
        </div>
        <SelectField
          path={[...path, 'currency']}
          required
          searchable
          options={CURRENCY_CODES.map((code) => ({
            value: code,
            label: `${code} · ${CURRENCIES[code].name[locale]}`,
          }))}
        />
        {kind === 'fixed' ? (
          <TextField path={[...path, 'amount']} required />
        ) : (
          <>
            <TextField path={[...path, 'min']} required />
            <TextField path={[...path, 'max']} required />
          </>
        )}
      </Group>
      <Text size="sm" data-testid="price-equivalent">
        {readPrice(price) === null ? (
          <Text span size="xs" c="dimmed">
            {t('listingEditor.price.hint')}
          </Text>
        ) : (
          <PriceValue value={price} onDate={today} locale={locale} />
        )}
      </Text>
    </Stack>
  );
}

/** Step 3, 套餐与价格: the packages (each with its service items) and the refund policy. */
export function PackagesForm({ today }: { readonly today: string }) {
  const editor = useEditor();
  const t = useEditorT();
  const locale = editor.locale;
  const template = getAt(editor.doc, ['packages', 'refundPolicy', 'templateId']);
  return (
    <Stack gap="lg">
      <Repeater
        path={['packages', 'items']}
        max={LISTING_LIMITS.packagesMaxItems}
        newItem={() => ({
          id: newItemId('pkg'),
          name: '',
          price: { kind: 'fixed', currency: 'CNY', amount: '' },
          serviceItems: [''],
        })}
        addLabel={t('listingEditor.add.package')}
        testId="packages"
        renderItem={(index) => {
          const base = ['packages', 'items', index] as const;
          return (
            <Stack gap="sm">
              <TextField path={[...base, 'name']} max={LISTING_LIMITS.packageNameMax} required />
              <PriceEditor index={index} today={today} />
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <IntegerField
                  path={[...base, 'sessions']}
                  min={1}
                  max={LISTING_LIMITS.sessionsMax}
                  required
                />
                <IntegerField
                  path={[...base, 'seats']}
                  min={1}
                  max={LISTING_LIMITS.seatsMax}
                  required
                />
              </SimpleGrid>
              <Text size="sm" fw={500}>
                {fieldLabel([...base, 'serviceItems'])
                  [locale].split(' › ')
                  .at(-1)}
              </Text>
              <Repeater
                path={[...base, 'serviceItems']}
                max={LISTING_LIMITS.serviceItemsMaxItems}
                newItem={() => ''}
                addLabel={t('listingEditor.add.serviceItem')}
                testId="service-items"
                renderItem={(itemIndex) => (
                  <TextField
                    path={[...base, 'serviceItems', itemIndex]}
                    max={LISTING_LIMITS.serviceItemMax}
                  />
                )}
              />
            </Stack>
          );
        }}
      />
      <div>
        <Title order={4} mb="xs">
          {fieldLabel(['packages', 'refundPolicy'])[locale]}
        </Title>
        <Stack gap="sm">
          <SelectField
            path={['packages', 'refundPolicy', 'templateId']}
            required
            options={REFUND_TEMPLATE_IDS.map((id) => ({
              value: id,
              label: REFUND_TEMPLATES[id].title[locale],
            }))}
          />
          {typeof template === 'string' && Object.hasOwn(REFUND_TEMPLATES, template) && (
            <Text size="sm" c="dimmed" data-testid="refund-summary">
              {REFUND_TEMPLATES[template as keyof typeof REFUND_TEMPLATES].summary[locale]}
            </Text>
          )}
          <TextField
            path={['packages', 'refundPolicy', 'customText']}
            max={LISTING_LIMITS.refundCustomTextMaxVisible}
            count={countVisibleCharacters}
            multiline
            required={template === 'custom_only'}
          />
        </Stack>
      </div>
    </Stack>
  );
}
