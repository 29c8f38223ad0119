import type { ClientPackage } from '../config/client-function.js';
import { clientFunctionStep } from './client-function.js';
import { clientRoleStep } from './client-role.js';
import type { AnyStep } from './step.js';

/**
 * The stack's client function and its role, run after STACK_STEPS when it is asked for
 * (`up --with-lambda`, `connect --from-lambda`). `status` and teardown find them without a
 * package; `up` passes the one the CLI ships (lambda/function-package.ts).
 */
export function clientSteps(pkg?: ClientPackage): readonly AnyStep[] {
  return [clientRoleStep, clientFunctionStep(pkg)];
}
