import { accountChecks } from './account-checks.js';
import type { Check } from './check.js';
import { clientChecks } from './client.js';
import { clusterChecks } from './cluster-checks.js';
import { debugLogChecks } from './debug-logs.js';
import { iamRoleChecks } from './iam-role.js';
import { proxyChecks } from './proxy-checks.js';
import { secretChecks } from './secret-checks.js';
import { securityGroupChecks } from './security-groups.js';
import { databaseUserChecks } from './database-user-checks.js';

/** Every check of DOCTOR.md, in the order of its groups: the tutorial's four, then Beyond. */
export const ALL_CHECKS: readonly Check[] = [
  ...securityGroupChecks,
  ...iamRoleChecks,
  ...clientChecks,
  ...debugLogChecks,
  ...accountChecks,
  ...proxyChecks,
  ...clusterChecks,
  ...secretChecks,
  ...databaseUserChecks,
];
