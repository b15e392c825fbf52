import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type en from './locales/en.json';
import { scopedT, type CatalogueKey, type ScopedT } from '../../i18n/scopedT';

export type SettlementKey = CatalogueKey<typeof en>;
export type SettlementT = ScopedT<SettlementKey>;
export const settlementT = (t: TFunction): SettlementT => scopedT<SettlementKey>(t);

export function useSettlementT(): SettlementT {
  const { t } = useTranslation();
  return settlementT(t);
}
