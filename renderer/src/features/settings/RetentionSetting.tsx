import { Group, NumberInput, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { settingsSchema } from '#shared/ipc/contract';
import { useAppStore } from '../../app/store';

/**
 * How long cached credential files and OCR readings stay on the device after a decision (the
 * `fileRetentionDays` setting, used by the leader window's purge). Saved when the field is left.
 */
export function RetentionSetting() {
  const { t } = useTranslation();
  const bridge = useAppStore((state) => state.host.bridge);
  const [days, setDays] = useState<string | number>('');
  const [state, setState] = useState<'idle' | 'saved' | 'invalid'>('idle');

  useEffect(() => {
    let live = true;
    bridge.settings
      .get()
      .then(({ fileRetentionDays }) => {
        if (live) {
          setDays(fileRetentionDays);
        }
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [bridge]);

  const save = async () => {
    const parsed = settingsSchema.shape.fileRetentionDays.safeParse(
      typeof days === 'number' ? days : Number(days),
    );
    if (!parsed.success) {
      setState('invalid');
      return;
    }
    await bridge.settings.set({ fileRetentionDays: parsed.data });
    setState('saved');
  };

  return (
    <Group align="flex-end" gap="sm">
      <NumberInput
        label={t('settings.retentionLabel')}
        description={t('settings.retentionHint')}
        data-testid="file-retention-days"
        value={days}
        min={1}
        max={365}
        allowDecimal={false}
        w={420}
        error={state === 'invalid' ? t('settings.retentionInvalid') : undefined}
        onChange={(value) => {
          setDays(value);
          setState('idle');
        }}
        onBlur={() => void save()}
      />
      {state === 'saved' && (
        <Text size="sm" c="teal" role="status">
          {t('settings.retentionSaved')}
        </Text>
      )}
    </Group>
  );
}
