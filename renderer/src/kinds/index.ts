import { actualsScreen } from './actuals/module';
import { escalationKindModule } from './escalation/module';
import { homeworkMentorKindModule } from './homework/mentor/module';
import { homeworkKindModule, homeworkScreen } from './homework/module';
import { listingKindModule } from './listing';
import { listingEditorScreen } from './listingEditor/module';
import { opsScreen } from './ops/module';
import { refundKindModule } from './refund/module';
import { settlementScreen } from './settlement/module';
import { findKindModule, registerKind, registerScreen } from './registry';
import { workloadScreen } from './workload/module';

/**
 * Every review kind and screen this workstation knows, registered in this one place (as the
 * server's `review/kinds/index.ts`). A new kind adds its module here and touches nothing else.
 * The workstation's entry (`main.tsx`) and the component tests' setup call it.
 */
export function registerKinds(): void {
  if (findKindModule(listingKindModule.kind) !== undefined) {
    return; // already registered (a module reload in development)
  }
  for (const module of [
    listingKindModule,
    refundKindModule,
    escalationKindModule,
    homeworkKindModule,
    homeworkMentorKindModule,
  ]) {
    registerKind(module);
  }
  registerScreen(homeworkScreen);
  registerScreen(opsScreen);
  registerScreen(settlementScreen);
  registerScreen(workloadScreen);
  registerScreen(actualsScreen);
  registerScreen(listingEditorScreen);
}
