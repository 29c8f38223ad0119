/** One row of DescribeDBProxyTargets, as AWS reports its health. */
export interface TargetHealthRow {
  /** RDS_INSTANCE, TRACKED_CLUSTER or RDS_SERVERLESS_ENDPOINT. */
  type: string;
  id: string;
  /** TargetHealth.State: AVAILABLE, REGISTERING, UNAVAILABLE, UNUSED. */
  state: string;
  /** TargetHealth.Reason, e.g. AUTH_FAILURE. */
  reason?: string;
  /** TargetHealth.Description, AWS's own words. */
  description?: string;
}
