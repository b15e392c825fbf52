import type { ScreenModule } from '../registry';
import { workloadT } from './text';
import { WorkloadScreen } from './WorkloadScreen';

/**
 * `#/workload`: who holds what, and bulk assignment and release, for ops managers only (the
 * server's `assign` refuses everyone else too).
 */
export const workloadScreen: ScreenModule = {
  id: 'workload',
  navLabel: (t) => workloadT(t)('workload.nav'),
  roles: ['ops_manager'],
  order: 25,
  Screen: WorkloadScreen,
};
