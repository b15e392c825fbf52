import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Locale } from '#shared/i18n/localized';
import { FieldAnchor } from '../FieldAnchor';
import { MAX_LIST_ITEMS, member, pathLabel, ptr } from '../fields';
import { Invalid, Missing, MoreItems } from './values';

/** A field anchor labelled with its path's label. */
export function Anchor({
  path,
  locale,
  children,
}: {
  readonly path: string;
  readonly locale: Locale;
  readonly children: ReactNode;
}) {
  return (
    <FieldAnchor path={path} label={pathLabel(path, locale)}>
      {children}
    </FieldAnchor>
  );
}

/**
 * A list of the document: its own anchor (how many items, or none), then `renderItem` for each
 * item shown (at most `MAX_LIST_ITEMS`, with a note about the rest).
 */
export function ListBlock({
  step,
  stepValue,
  listKey,
  locale,
  renderItem,
}: {
  readonly step: string;
  readonly stepValue: unknown;
  readonly listKey: string;
  readonly locale: Locale;
  readonly renderItem: (item: unknown, index: number) => ReactNode;
}) {
  const { t } = useTranslation();
  const value = member(stepValue, listKey);
  const path = ptr(step, listKey);
  const list = Array.isArray(value) ? value : null;
  const shown = list === null ? [] : list.slice(0, MAX_LIST_ITEMS);
  return (
    <div className="rd-list">
      <Anchor path={path} locale={locale}>
        {value === undefined || value === null || list?.length === 0 ? (
          <Missing />
        ) : list === null ? (
          <Invalid value={value} />
        ) : (
          <span className="rd-text">{t('itemPage.value.count', { count: list.length })}</span>
        )}
      </Anchor>
      {shown.map((item, index) => renderItem(item, index))}
      {list !== null && <MoreItems total={list.length} shown={shown.length} />}
    </div>
  );
}
