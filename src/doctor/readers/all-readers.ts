import type { Readers } from '../read-scheduler.js';
import type { SnapshotReads } from '../snapshot.js';
import { clusterReader, databaseSubnetIdsReader, instancesReader } from './database.js';
import { databaseUserReader } from './database-user.js';
import { identityReader } from './identity.js';
import { kmsKeysReader } from './kms-keys.js';
import { lambdaReader } from './lambda.js';
import { recentLogsReader } from './logs.js';
import { proxyReader } from './proxy.js';
import type { DiscoveryScope } from './reader.js';
import { roleReader } from './role.js';
import { secretsReader } from './secrets.js';
import { securityGroupsReader } from './security-groups.js';
import { subnetsReader } from './subnets.js';
import { targetsReader } from './targets.js';
import { secretsEndpointsReader, vpcReader } from './vpc.js';

/** The reader of each snapshot field; each starts as soon as the fields it needs are read. */
export const SNAPSHOT_READERS: Readers<SnapshotReads, DiscoveryScope> = {
  identity: identityReader,
  recentLogs: recentLogsReader,
  lambda: lambdaReader,
  proxy: proxyReader,
  targets: targetsReader,
  cluster: clusterReader,
  instances: instancesReader,
  databaseSubnetIds: databaseSubnetIdsReader,
  secrets: secretsReader,
  kmsKeys: kmsKeysReader,
  role: roleReader,
  subnets: subnetsReader,
  vpc: vpcReader,
  securityGroups: securityGroupsReader,
  secretsEndpoints: secretsEndpointsReader,
  databaseUser: databaseUserReader,
};
