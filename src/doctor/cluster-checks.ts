import { fail, need, pass, skip, SkipCheck, type Check, type CheckContext, type Outcome } from './check.js';

function clusterSupported(ctx: CheckContext): Outcome {
  const cluster = need(ctx.snapshot.cluster);
  const instances = need(ctx.snapshot.instances);
  if (!cluster) {
    if (instances.length > 0) {
      return skip(`The target is RDS instance ${instances.map((i) => `${i.DBInstanceIdentifier} (${i.Engine})`).join(', ')}, not an Aurora cluster: the Aurora checks do not apply.`);
    }
    throw new SkipCheck('no cluster is registered as target (see proxy.targets)');
  }
  const id = cluster.DBClusterIdentifier;
  const mode = cluster.EngineMode ?? 'provisioned';
  const seen = `Cluster ${id}: ${cluster.Engine} ${cluster.EngineVersion}, engine mode ${mode}, ${cluster.Status}`;
  if (mode === 'serverless') {
    return fail(
      `${seen}: Aurora Serverless v1; RDS Proxy does not support it.`,
      `Move to Aurora Serverless v2 (a provisioned cluster with a db.serverless instance: restore a snapshot with aws rds restore-db-cluster-from-snapshot --engine-mode provisioned --serverless-v2-scaling-configuration MinCapacity=0.5,MaxCapacity=2, then register that cluster), or use the Data API instead of a proxy.`,
    );
  }
  if (cluster.Engine !== 'aurora-postgresql') {
    return fail(`${seen}: the proxy needs an aurora-postgresql cluster.`, 'Register an Aurora PostgreSQL cluster as the proxy\'s target.');
  }
  if (mode !== 'provisioned') return fail(`${seen}: engine mode ${mode} is not supported behind a proxy.`, 'Use an Aurora PostgreSQL cluster in engine mode provisioned.');
  const serverless = instances.filter((i) => i.DBInstanceClass === 'db.serverless');
  const scaling = cluster.ServerlessV2ScalingConfiguration;
  if (serverless.length > 0 && !scaling) {
    return fail(
      `${seen}: instances ${serverless.map((i) => i.DBInstanceIdentifier).join(', ')} are db.serverless but the cluster has no Serverless v2 scaling configuration.`,
      `aws rds modify-db-cluster --db-cluster-identifier ${id} --serverless-v2-scaling-configuration MinCapacity=0.5,MaxCapacity=2 --apply-immediately`,
    );
  }
  if (cluster.Status !== 'available') {
    return fail(`${seen}, not available.`, `Wait for it (aws rds describe-db-clusters --db-cluster-identifier ${id} --query 'DBClusters[0].Status'); a stopped cluster starts with aws rds start-db-cluster --db-cluster-identifier ${id}.`);
  }
  const writerId = cluster.DBClusterMembers?.find((m) => m.IsClusterWriter)?.DBInstanceIdentifier;
  const writer = instances.find((i) => i.DBInstanceIdentifier === writerId);
  const addWriter = `aws rds create-db-instance --db-instance-identifier ${id}-writer --db-cluster-identifier ${id} --engine aurora-postgresql --db-instance-class db.serverless`;
  if (!writer) return fail(`${seen}, but it has no writer instance.`, addWriter);
  if (writer.DBInstanceStatus !== 'available') {
    return fail(`${seen}; writer ${writer.DBInstanceIdentifier} is ${writer.DBInstanceStatus}.`, `Wait until writer ${writer.DBInstanceIdentifier} is available, then run doctor again.`);
  }
  const capacity = scaling ? `, Serverless v2 ${scaling.MinCapacity}-${scaling.MaxCapacity} ACU` : `, provisioned instances`;
  return pass(`${seen}${capacity}; writer ${writer.DBInstanceIdentifier} (${writer.DBInstanceClass}) is available.`);
}

/** End-to-end IAM needs IAM database authentication on the cluster: the proxy logs in with IAM tokens. */
function clusterIamAuth(ctx: CheckContext): Outcome {
  const proxy = need(ctx.snapshot.proxy);
  if (proxy.DefaultAuthScheme !== 'IAM_AUTH') {
    return pass(`Proxy ${proxy.DBProxyName} logs in to the database with secrets (DefaultAuthScheme ${proxy.DefaultAuthScheme ?? 'NONE'}): the cluster's IAM database authentication is not needed for it.`);
  }
  const cluster = need(ctx.snapshot.cluster);
  if (!cluster) throw new SkipCheck('no cluster is registered as target (see proxy.targets)');
  const id = cluster.DBClusterIdentifier;
  if (cluster.IAMDatabaseAuthenticationEnabled) return pass(`Cluster ${id} has IAM database authentication on: it takes the proxy's IAM logins.`);
  return fail(
    `Cluster ${id} has IAM database authentication off, but the proxy logs in to it with IAM (DefaultAuthScheme IAM_AUTH): every login through the proxy is refused.`,
    `aws rds modify-db-cluster --db-cluster-identifier ${id} --enable-iam-database-authentication --apply-immediately`,
  );
}

/** Beyond the tutorial: the database behind the proxy. */
export const clusterChecks: Check[] = [
  { id: 'cluster.supported', title: 'The cluster is Aurora PostgreSQL that a proxy supports', group: 'beyond', run: clusterSupported },
  { id: 'cluster.iam-auth', title: 'With end-to-end IAM, the cluster has IAM database authentication on', group: 'beyond', run: clusterIamAuth },
];
