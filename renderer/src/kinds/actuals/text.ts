import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type en from './locales/en.json';
import { scopedT, type CatalogueKey, type ScopedT } from '../../i18n/scopedT';

export type ActualsKey = CatalogueKey<typeof en>;
export type ActualsT = ScopedT<ActualsKey>;
export const actualsT = (t: TFunction): ActualsT => scopedT<ActualsKey>(t);

export function useActualsT(): ActualsT {
  const { t } = useTranslation();
  return actualsT(t);
}
