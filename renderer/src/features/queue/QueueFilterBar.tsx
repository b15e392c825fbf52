import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { COUNTRIES, COUNTRY_CODES } from '#shared/domain/listing/countries';
import { STAGE_LABELS, STAGES } from '#shared/domain/listing/document';
import type { Locale } from '#shared/i18n/localized';
import type { UserRecord } from '#shared/sync/rows';
import { kindLabel } from '../labels';
import {
  activeFilterCount,
  AGE_FILTERS,
  DUE_FILTERS,
  QUEUE_SORTS,
  STATE_FILTERS,
  statesOf,
  type AgeFilter,
  type DueFilter,
  type QueueCounts,
  type QueueFilters,
  type QueueSort,
  type StateFilter,
} from './queueQuery';

/** How long typing pauses before the search runs (ms). */
export const SEARCH_DEBOUNCE_MS = 150;

const ANY = '';

/**
 * The queue's filters, sort and search. Native selects: one keystroke away, announced properly,
 * and they work the same with mouse and keyboard.
 */
export function QueueFilterBar({
  filters,
  onChange,
  onReset,
  counts,
  kinds,
  locale,
  searchRef,
  holders,
  userId,
  onSearchDone,
}: {
  readonly filters: QueueFilters;
  readonly onChange: (patch: Partial<QueueFilters>) => void;
  readonly onReset: () => void;
  readonly counts: QueueCounts | undefined;
  readonly kinds: readonly string[];
  readonly locale: Locale;
  readonly searchRef: RefObject<HTMLInputElement | null>;
  /** Users one may filter the holder by (the operations manager: everyone holding something). */
  readonly holders: readonly UserRecord[];
  readonly userId: string;
  /** Enter in the search box: the query (run now if it had not run yet). */
  readonly onSearchDone?: (query: string) => void;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState(filters.query);
  const [institution, setInstitution] = useState(filters.institution);
  const sent = useRef({ query: filters.query, institution: filters.institution });

  // The store changed from elsewhere ("clear filters"): show it.
  useEffect(() => {
    if (filters.query !== sent.current.query) {
      sent.current = { ...sent.current, query: filters.query };
      setQuery(filters.query);
    }
    if (filters.institution !== sent.current.institution) {
      sent.current = { ...sent.current, institution: filters.institution };
      setInstitution(filters.institution);
    }
  }, [filters.query, filters.institution]);

  // Typing settles before the query runs.
  useEffect(() => {
    if (query === sent.current.query && institution === sent.current.institution) {
      return;
    }
    const timer = setTimeout(() => {
      sent.current = { query, institution };
      onChange({ query, institution });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [query, institution, onChange]);

  const stateCount = (filter: StateFilter) =>
    counts === undefined
      ? null
      : statesOf(filter).reduce((sum, state) => sum + counts.byState[state], 0);
  const withCount = (label: string, count: number | null | undefined) =>
    count === null || count === undefined ? label : t('queueView.withCount', { label, count });
  const allOpen =
    counts === undefined ? null : Object.values(counts.openByKind).reduce((a, b) => a + b, 0);

  const active = activeFilterCount(filters);
  const holderValue =
    filters.holderId === null ? ANY : filters.holderId === userId ? 'me' : filters.holderId;

  return (
    <Group
      gap="sm"
      align="flex-end"
      wrap="wrap"
      role="search"
      aria-label={t('queueView.filters.label')}
    >
      <TextInput
        ref={searchRef}
        label={t('queueView.filters.search')}
        placeholder={t('queueView.filters.searchPlaceholder')}
        value={query}
        onChange={(event) => {
          setQuery(event.currentTarget.value);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
            // Enter runs the search at once and takes the keyboard to the results.
            event.preventDefault();
            if (query !== sent.current.query || institution !== sent.current.institution) {
              sent.current = { query, institution };
              onChange({ query, institution });
            }
            onSearchDone?.(query);
          } else if (event.key === 'Escape') {
            event.preventDefault();
            if (query !== '') {
              setQuery('');
            } else {
              event.currentTarget.blur();
            }
          }
        }}
        w={260}
        data-testid="queue-search"
      />
      <NativeSelect
        label={t('queueView.filters.state')}
        value={filters.state}
        onChange={(event) => {
          onChange({ state: event.currentTarget.value as StateFilter });
        }}
        data={STATE_FILTERS.map((value) => ({
          value,
          label: withCount(t(`queueView.state.${value}`), stateCount(value)),
        }))}
        w={170}
      />
      {kinds.length > 1 && (
        <NativeSelect
          label={t('queue.kindsLabel')}
          value={filters.kind ?? ANY}
          onChange={(event) => {
            const value = event.currentTarget.value;
            onChange({ kind: value === ANY ? null : value });
          }}
          data={[
            { value: ANY, label: withCount(t('queueView.filters.allKinds'), allOpen) },
            ...kinds.map((kind) => ({
              value: kind,
              label: withCount(kindLabel(kind, t), counts?.openByKind[kind]),
            })),
          ]}
          w={190}
        />
      )}
      <NativeSelect
        label={t('queueView.filters.country')}
        value={filters.country ?? ANY}
        onChange={(event) => {
          const value = event.currentTarget.value;
          onChange({ country: value === ANY ? null : value });
        }}
        data={[
          { value: ANY, label: t('queueView.filters.any') },
          ...COUNTRY_CODES.map((code) => ({ value: code, label: COUNTRIES[code].name[locale] })),
        ]}
        w={150}
      />
      <NativeSelect
        label={t('queueView.filters.stage')}
        value={filters.stage ?? ANY}
        onChange={(event) => {
          const value = event.currentTarget.value;
          onChange({ stage: value === ANY ? null : value });
        }}
        data={[
          { value: ANY, label: t('queueView.filters.any') },
          ...STAGES.map((stage) => ({ value: stage, label: STAGE_LABELS[stage][locale] })),
        ]}
        w={140}
      />
      <TextInput
        label={t('queueView.filters.institution')}
        value={institution}
        onChange={(event) => {
          setInstitution(event.currentTarget.value);
        }}
        w={170}
      />
      <NativeSelect
        label={t('queueView.filters.age')}
        value={filters.age}
        onChange={(event) => {
          onChange({ age: event.currentTarget.value as AgeFilter });
        }}
        data={AGE_FILTERS.map((value) => ({ value, label: t(`queueView.age.${value}`) }))}
        w={150}
      />
      <NativeSelect
        label={t('queueView.filters.due')}
        value={filters.due}
        onChange={(event) => {
          onChange({ due: event.currentTarget.value as DueFilter });
        }}
        data={DUE_FILTERS.map((value) => ({ value, label: t(`queueView.due.${value}`) }))}
        w={150}
      />
      <NativeSelect
        label={t('queueView.filters.holder')}
        value={holderValue}
        onChange={(event) => {
          const value = event.currentTarget.value;
          onChange({ holderId: value === ANY ? null : value === 'me' ? userId : value });
        }}
        data={[
          { value: ANY, label: t('queueView.filters.anyone') },
          { value: 'me', label: t('queueView.filters.me') },
          ...holders
            .filter((user) => user.id !== userId)
            .map((user) => ({ value: user.id, label: user.displayName })),
        ]}
        w={150}
      />
      <NativeSelect
        label={t('queueView.filters.sort')}
        value={filters.sort}
        onChange={(event) => {
          onChange({ sort: event.currentTarget.value as QueueSort });
        }}
        data={QUEUE_SORTS.map((value) => ({ value, label: t(`queueView.sort.${value}`) }))}
        w={170}
      />
      <Button variant="subtle" onClick={onReset} disabled={active === 0}>
        {active === 0
          ? t('queueView.filters.clear')
          : t('queueView.filters.clearCount', { count: active })}
      </Button>
    </Group>
  );
}
