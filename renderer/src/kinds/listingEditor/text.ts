import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type en from './locales/en.json';
import { scopedT, type CatalogueKey, type ScopedT } from '../../i18n/scopedT';

export type EditorKey = CatalogueKey<typeof en>;
export type EditorT = ScopedT<EditorKey>;
export const editorT = (t: TFunction): EditorT => scopedT<EditorKey>(t);

export function useEditorT(): EditorT {
  const { t } = useTranslation();
  return editorT(t);
}
