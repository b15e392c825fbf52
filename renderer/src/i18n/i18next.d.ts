import type { resources } from './i18n';

// Type-checks every `t('…')` key against the English catalogue (the test suite checks that the
// zh-CN catalogue has exactly the same keys).
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: (typeof resources)['en'];
  }
}
