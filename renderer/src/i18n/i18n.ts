import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from '#shared/i18n/localized';
import diffEn from '../features/diff/locales/en.json';
import actualsEn from '../kinds/actuals/locales/en.json';
import actualsZhCN from '../kinds/actuals/locales/zh-CN.json';
import diffZhCN from '../features/diff/locales/zh-CN.json';
import itemEn from '../features/item/locales/en.json';
import itemZhCN from '../features/item/locales/zh-CN.json';
import ocrEn from '../features/ocr/locales/en.json';
import ocrZhCN from '../features/ocr/locales/zh-CN.json';
import queueEn from '../features/queue/locales/en.json';
import queueZhCN from '../features/queue/locales/zh-CN.json';
import escalationEn from '../kinds/escalation/locales/en.json';
import escalationZhCN from '../kinds/escalation/locales/zh-CN.json';
import homeworkBoardEn from '../kinds/homework/board/locales/en.json';
import homeworkBoardZhCN from '../kinds/homework/board/locales/zh-CN.json';
import homeworkEn from '../kinds/homework/locales/en.json';
import homeworkZhCN from '../kinds/homework/locales/zh-CN.json';
import opsEn from '../kinds/ops/locales/en.json';
import opsZhCN from '../kinds/ops/locales/zh-CN.json';
import refundEn from '../kinds/refund/locales/en.json';
import refundZhCN from '../kinds/refund/locales/zh-CN.json';
import settlementEn from '../kinds/settlement/locales/en.json';
import settlementZhCN from '../kinds/settlement/locales/zh-CN.json';
import workloadEn from '../kinds/workload/locales/en.json';
import workloadZhCN from '../kinds/workload/locales/zh-CN.json';
import listingEditorEn from '../kinds/listingEditor/locales/en.json';
import listingEditorZhCN from '../kinds/listingEditor/locales/zh-CN.json';
import statusEn from '../features/status/locales/en.json';
import statusZhCN from '../features/status/locales/zh-CN.json';
import viewerEn from '../features/viewer/locales/en.json';
import viewerZhCN from '../features/viewer/locales/zh-CN.json';
import baseEn from './locales/en.json';
import baseZhCN from './locales/zh-CN.json';

/**
 * The UI catalogues: the app frame's in `locales/`, each feature's beside its code
 * (`features/<feature>/locales/`, `kinds/<kind>/locales/`), merged into one namespace. Top-level keys never collide: each
 * feature owns its own (`itemPage`, `viewer`, `diffView`, `queueView`); a test checks that both
 * languages have exactly the same keys.
 */
const en = {
  ...baseEn,
  ...queueEn,
  ...itemEn,
  ...viewerEn,
  ...diffEn,
  ...ocrEn,
  ...homeworkEn,
  ...homeworkBoardEn,
  ...opsEn,
  ...refundEn,
  ...escalationEn,
  ...settlementEn,
  ...workloadEn,
  ...actualsEn,
  ...listingEditorEn,
  ...statusEn,
};
const zhCN = {
  ...baseZhCN,
  ...queueZhCN,
  ...itemZhCN,
  ...viewerZhCN,
  ...diffZhCN,
  ...ocrZhCN,
  ...homeworkZhCN,
  ...homeworkBoardZhCN,
  ...opsZhCN,
  ...refundZhCN,
  ...escalationZhCN,
  ...settlementZhCN,
  ...workloadZhCN,
  ...actualsZhCN,
  ...listingEditorZhCN,
  ...statusZhCN,
};

export const resources = {
  'zh-CN': { translation: zhCN },
  en: { translation: en },
} as const;

/**
 * The UI language at start-up: a `?lang=` query parameter (shared links and tests use it), then
 * the language the user picked last time, then zh-CN.
 */
export function initialLocale(search: string, stored: string | null): Locale {
  const fromQuery = new URLSearchParams(search).get('lang');
  if (isLocale(fromQuery)) {
    return fromQuery;
  }
  return isLocale(stored) ? stored : DEFAULT_LOCALE;
}

/** Creates an isolated i18next instance, so tests never share language state. */
export async function createI18n(locale: Locale): Promise<I18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    resources,
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}
