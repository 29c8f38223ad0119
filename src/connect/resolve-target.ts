import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBProxiesCommand,
  DescribeDBProxyTargetsCommand,
  type DBProxy,
} from '@aws-sdk/client-rds';
import type { AwsClients } from '../aws/clients.js';
import { aws, isNotFound } from '../aws/errors.js';
import { POSTGRES_PORT } from '../config/names.js';
import { CliError } from '../errors.js';

/** Everything needed to sign a token and open the session: all of it read from AWS. */
export interface ConnectTarget {
  proxyName: string;
  /** The proxy's default endpoint: the TLS server name and the host the token is signed for. */
  host: string;
  port: number;
  user: string;
  database: string;
  region: string;
  vpcId?: string;
}

export interface TargetRequest {
  proxyName: string;
  /** True when the name came from --name (the stack's proxy), for the not-found hint. */
  fromStack: boolean;
  stack: string;
  user?: string;
  database?: string;
}

/** The login defaults of the database behind the proxy: its master user and database. */
interface DatabaseDefaults {
  user?: string;
  database?: string;
}

/** Aurora and RDS PostgreSQL always have this database, even when none was named at creation. */
const POSTGRES_DEFAULT_DATABASE = 'postgres';

async function describeProxy(clients: AwsClients, request: TargetRequest): Promise<DBProxy> {
  const rds = await clients.rds();
  try {
    const answer = await aws(`reading RDS proxy ${request.proxyName}`, () =>
      rds.send(new DescribeDBProxiesCommand({ DBProxyName: request.proxyName })),
    );
    const proxy = answer.DBProxies?.[0];
    if (proxy) return proxy;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const region = clients.settings.region;
  throw new CliError(`RDS proxy ${request.proxyName} was not found in ${region}.`, {
    code: 'ProxyNotFound',
    hint: request.fromStack
      ? `Create the stack with \`rdsproxy-setup up --name ${request.stack}\`, or pass --proxy <name> for another proxy.`
      : 'Check --proxy and --region (proxies are regional): `aws rds describe-db-proxies --query "DBProxies[].DBProxyName"`.',
  });
}

/** The master user and database of the cluster (or, for RDS, the instance) the proxy fronts. */
async function databaseDefaults(clients: AwsClients, proxyName: string): Promise<DatabaseDefaults> {
  const rds = await clients.rds();
  const answer = await aws(`reading the targets of RDS proxy ${proxyName}`, () =>
    rds.send(new DescribeDBProxyTargetsCommand({ DBProxyName: proxyName })),
  );
  const targets = answer.Targets ?? [];
  const cluster = targets.find((t) => t.Type === 'TRACKED_CLUSTER')?.RdsResourceId;
  if (cluster) {
    const clusters = await aws(`reading DB cluster ${cluster}`, () =>
      rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: cluster })),
    );
    const found = clusters.DBClusters?.[0];
    return { user: found?.MasterUsername, database: found?.DatabaseName };
  }
  const instance = targets.find((t) => t.Type === 'RDS_INSTANCE')?.RdsResourceId;
  if (instance) {
    const instances = await aws(`reading DB instance ${instance}`, () =>
      rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instance })),
    );
    const found = instances.DBInstances?.[0];
    return { user: found?.MasterUsername, database: found?.DBName };
  }
  return {};
}

/**
 * Reads the proxy's endpoint and, only when --user or --db is missing, the master user and
 * database of what it fronts. Uses the RDS client alone.
 */
export async function resolveTarget(clients: AwsClients, request: TargetRequest): Promise<ConnectTarget> {
  const proxy = await describeProxy(clients, request);
  const name = request.proxyName;
  if (proxy.EngineFamily && proxy.EngineFamily !== 'POSTGRESQL') {
    throw new CliError(`RDS proxy ${name} is for ${proxy.EngineFamily}; connect speaks PostgreSQL only.`, {
      code: 'WrongEngine',
    });
  }
  if (!proxy.Endpoint) {
    throw new CliError(`RDS proxy ${name} has no endpoint yet (status ${proxy.Status ?? 'unknown'}).`, {
      code: 'NoEndpoint',
      hint: `Wait until it is available, or run \`rdsproxy-setup doctor --proxy ${name}\`.`,
    });
  }
  const defaults =
    request.user !== undefined && request.database !== undefined ? {} : await databaseDefaults(clients, name);
  const user = request.user ?? defaults.user;
  if (!user) {
    throw new CliError(`Could not tell the database user of RDS proxy ${name}: it has no registered target to read it from.`, {
      code: 'NoUser',
      hint: `Pass --user <db user>, and see \`rdsproxy-setup doctor --proxy ${name}\` for the missing target.`,
    });
  }
  return {
    proxyName: name,
    host: proxy.Endpoint,
    port: POSTGRES_PORT,
    user,
    database: request.database ?? defaults.database ?? POSTGRES_DEFAULT_DATABASE,
    region: clients.settings.region,
    vpcId: proxy.VpcId,
  };
}
