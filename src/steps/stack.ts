import { clusterSgStep } from './cluster-sg.js';
import { clusterStep } from './cluster.js';
import { instanceStep } from './instance.js';
import { networkStep } from './network.js';
import { proxySgStep } from './proxy-sg.js';
import { proxyStep } from './proxy.js';
import { roleStep } from './role.js';
import { secretHostStep } from './secret-host.js';
import { secretStep } from './secret.js';
import type { AnyStep } from './step.js';
import { subnetGroupStep } from './subnet-group.js';
import { targetGroupStep } from './target-group.js';
import { targetStep } from './target.js';

/** Every step of DESIGN.md section 1, in its order. */
export const STACK_STEPS: readonly AnyStep[] = [
  networkStep,
  subnetGroupStep,
  proxySgStep,
  clusterSgStep,
  secretStep,
  clusterStep,
  secretHostStep,
  instanceStep,
  roleStep,
  proxyStep,
  targetGroupStep,
  targetStep,
];
