import type { ScreenModule } from '../registry';
import { OpsScreen } from './OpsScreen';

/** `#/ops`: the ops console, for ops managers only (the server refuses everyone else too). */
export const opsScreen: ScreenModule = {
  id: 'ops',
  navLabel: (t) => t('nav.ops'),
  roles: ['ops_manager'],
  order: 20,
  Screen: OpsScreen,
};
