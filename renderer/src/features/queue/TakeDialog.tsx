import { Alert, Button, Group, Modal, NumberInput, Progress, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_LEASE_HOURS, MAX_TAKE, type CacheProgress, type OfflineCache } from './offline';

export interface TakeOutcome {
  /** Items claimed (may be fewer than asked when the queue has fewer claimable items). */
  readonly claimed: number;
  readonly cache: OfflineCache;
}

export type TakeRun = (
  count: number,
  leaseHours: number,
  onProgress: (phase: TakePhase) => void,
) => Promise<TakeOutcome>;

export type TakePhase =
  | { readonly step: 'claiming'; readonly done: number; readonly total: number }
  | ({ readonly step: 'caching' } & CacheProgress);

/**
 * "Take N items for the next H hours": claims the first N claimable items of the queue as
 * filtered, each with a lease of H hours (`claim@2`), and caches what they need offline, showing
 * progress. Works offline: the claims wait in the outbox.
 */
export function TakeDialog({
  onClose,
  run,
}: {
  readonly onClose: () => void;
  readonly run: TakeRun;
}) {
  const { t } = useTranslation();
  const [count, setCount] = useState<number | string>(10);
  const [hours, setHours] = useState<number | string>(8);
  const [phase, setPhase] = useState<TakePhase | null>(null);
  const [outcome, setOutcome] = useState<TakeOutcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const busy = phase !== null && outcome === null && error === null;

  const n = typeof count === 'number' ? count : Number.parseInt(count, 10);
  const h = typeof hours === 'number' ? hours : Number.parseInt(hours, 10);
  const countValid = Number.isInteger(n) && n >= 1 && n <= MAX_TAKE;
  const hoursValid = Number.isInteger(h) && h >= 1 && h <= MAX_LEASE_HOURS;

  const start = async () => {
    if (!countValid || !hoursValid) {
      return;
    }
    setError(null);
    setPhase({ step: 'claiming', done: 0, total: n });
    try {
      setOutcome(await run(n, h, setPhase));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  const percent =
    phase === null || phase.total === 0 ? 0 : Math.round((phase.done / phase.total) * 100);

  return (
    <Modal
      opened
      onClose={() => {
        if (!busy) {
          onClose();
        }
      }}
      title={t('queueView.take.title')}
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
    >
      <Stack gap="md">
        <Text size="sm">{t('queueView.take.explain')}</Text>
        <Group grow align="flex-start">
          <NumberInput
            label={t('queueView.take.count', { max: MAX_TAKE })}
            value={count}
            onChange={setCount}
            min={1}
            max={MAX_TAKE}
            allowDecimal={false}
            error={countValid ? undefined : t('queueView.take.countInvalid', { max: MAX_TAKE })}
            disabled={busy || outcome !== null}
            data-autofocus
          />
          <NumberInput
            label={t('queueView.take.hours', { max: MAX_LEASE_HOURS })}
            value={hours}
            onChange={setHours}
            min={1}
            max={MAX_LEASE_HOURS}
            allowDecimal={false}
            error={
              hoursValid ? undefined : t('queueView.take.hoursInvalid', { max: MAX_LEASE_HOURS })
            }
            disabled={busy || outcome !== null}
          />
        </Group>
        {phase !== null && (
          <Stack gap={4} data-testid="take-progress">
            <Text size="sm">
              {phase.step === 'claiming'
                ? t('queueView.take.claiming', { done: phase.done, total: phase.total })
                : t('queueView.take.caching', { done: phase.done, total: phase.total })}
            </Text>
            <Progress
              value={outcome === null ? percent : 100}
              aria-label={t('queueView.take.progress')}
            />
          </Stack>
        )}
        {outcome !== null && (
          <Alert color={outcome.claimed < n ? 'yellow' : 'teal'} data-testid="take-outcome">
            <Text size="sm">
              {t('queueView.take.done', { count: outcome.claimed, hours: h })}
              {outcome.claimed < n && ` ${t('queueView.take.fewer', { asked: n })}`}
            </Text>
            <Text size="sm">
              {t('queueView.take.cached', {
                revisions: outcome.cache.revisions,
                files: outcome.cache.files,
              })}
              {outcome.cache.filesFailed > 0 &&
                ` ${t('queueView.take.filesFailed', { count: outcome.cache.filesFailed })}`}
            </Text>
          </Alert>
        )}
        {error !== null && (
          <Alert color="red" role="alert">
            {t('queue.recordFailed', { detail: error })}
          </Alert>
        )}
        <Group justify="flex-end">
          {outcome === null ? (
            <>
              <Button variant="default" onClick={onClose} disabled={busy}>
                {t('queueView.take.cancel')}
              </Button>
              <Button
                onClick={() => void start()}
                loading={busy}
                disabled={!countValid || !hoursValid}
              >
                {t('queueView.take.submit')}
              </Button>
            </>
          ) : (
            <Button onClick={onClose}>{t('queueView.take.close')}</Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
