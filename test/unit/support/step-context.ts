import { createAwsClients } from '../../../src/aws/clients.js';
import { stackNames } from '../../../src/config/names.js';
import { upConfig, type RawUpOptions } from '../../../src/config/up-config.js';
import type { Cluster, Network, StackResources } from '../../../src/steps/resources.js';
import type { Progress } from '../../../src/waiters/progress.js';
import type { BuildContext } from '../../../src/steps/step.js';

export const TEST_STACK = 'unit-stack';
export const TEST_REGION = 'us-east-1';
/** The id of the run the unit tests' steps belong to: tagged on what they create. */
export const TEST_RUN_ID = '20260101t000000z-0000000a';

/** What the network step yields for the stack's VPC: two subnets in two Availability Zones. */
export const TEST_NETWORK: Network = {
  vpcId: 'vpc-0000000a',
  vpcCidr: '172.31.0.0/16',
  subnetIds: ['subnet-00000001', 'subnet-00000002'],
  availabilityZones: ['us-east-1a', 'us-east-1b'],
};

/** The stack's cluster as an earlier find recorded it. */
export const RECORDED_CLUSTER: Cluster = {
  id: `${TEST_STACK}-cluster`,
  arn: `arn:aws:rds:us-east-1:123456789012:cluster:${TEST_STACK}-cluster`,
  status: 'available',
  endpoint: `${TEST_STACK}-cluster.cluster-abc.us-east-1.rds.amazonaws.com`,
  port: 5432,
  deletionProtection: true,
  iamDatabaseAuthentication: true,
  masterUser: 'postgres',
};

/** Fast timing so retries and waits finish in milliseconds in unit tests. */
export const FAST_TIMING = {
  wait: { timeoutMs: 2_000, minDelayMs: 1, maxDelayMs: 2 },
  retry: { timeoutMs: 2_000, minDelayMs: 1, maxDelayMs: 2 },
  busy: { timeoutMs: 2_000, minDelayMs: 1, maxDelayMs: 2 },
};

/**
 * A BuildContext with real clients (replace them with aws-sdk-client-mock's mockClient) and
 * whatever earlier steps' resources the test gives.
 */
export function stepContext(
  options: { resources?: Partial<StackResources>; up?: RawUpOptions; signal?: AbortSignal; progress?: (report: Progress) => void } = {},
): BuildContext {
  return {
    config: { stack: TEST_STACK, region: TEST_REGION, json: false, yes: true, verbose: false },
    settings: upConfig(options.up ?? {}),
    names: stackNames(TEST_STACK, TEST_REGION),
    clients: createAwsClients({ region: TEST_REGION }),
    resources: { ...options.resources },
    signal: options.signal ?? new AbortController().signal,
    timing: FAST_TIMING,
    progress: options.progress ?? (() => undefined),
    runId: TEST_RUN_ID,
  };
}
