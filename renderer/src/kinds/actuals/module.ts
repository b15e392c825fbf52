import { ACTUALS_MEMBER_ROLES } from '#shared/ops/actuals';
import type { ScreenModule } from '../registry';
import { actualsT } from './text';
import { TimesheetScreen } from './TimesheetScreen';

/**
 * `#/actuals`: the member's own timesheet (team actuals), for the platform's staff; the server
 * enforces the same policy (shared/ops/actuals.ts). Ops read everyone's in the ops console.
 */
export const actualsScreen: ScreenModule = {
  id: 'actuals',
  navLabel: (t) => actualsT(t)('actuals.nav'),
  roles: ACTUALS_MEMBER_ROLES,
  order: 40,
  Screen: TimesheetScreen,
};
