import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type en from './locales/en.json';
import { scopedT, type CatalogueKey, type ScopedT } from '../../i18n/scopedT';

export type AlertBadgeKey = CatalogueKey<typeof en>;
export type AlertBadgeT = ScopedT<AlertBadgeKey>;
export const alertBadgeT = (t: TFunction): AlertBadgeT => scopedT<AlertBadgeKey>(t);

export function useAlertBadgeT(): AlertBadgeT {
  const { t } = useTranslation();
  return alertBadgeT(t);
}
