import type { ScreenModule } from '../registry';
import { SettlementScreen } from './SettlementScreen';
import { settlementT } from './text';

/**
 * `#/settlement`: the monthly commission settlement (course-operations-sop.zh.md §8), for ops
 * managers only (the server refuses everyone else too).
 */
export const settlementScreen: ScreenModule = {
  id: 'settlement',
  navLabel: (t) => settlementT(t)('settlementScreen.nav'),
  roles: ['ops_manager'],
  order: 30,
  Screen: SettlementScreen,
};
