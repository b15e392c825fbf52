import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type en from './locales/en.json';
import { scopedT, type CatalogueKey, type ScopedT } from '../../i18n/scopedT';

export type WorkloadKey = CatalogueKey<typeof en>;
export type WorkloadT = ScopedT<WorkloadKey>;
export const workloadT = (t: TFunction): WorkloadT => scopedT<WorkloadKey>(t);

export function useWorkloadT(): WorkloadT {
  const { t } = useTranslation();
  return workloadT(t);
}
