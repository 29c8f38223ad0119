/** The IAM actions of the AWS calls a `--verbose` run logged on stderr ("aws rds.DescribeDBProxies {…} → ok (3 ms)"). */
export function callsIn(stderr: string): Set<string> {
  return new Set([...stderr.matchAll(/\baws ([a-z0-9-]+)\.([A-Za-z0-9]+) [{[]/g)].map(([, service, operation]) => `${service}:${operation}`));
}
