import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { arnIn } from '../denials.js';
import { got, missing, read, requiring } from '../read.js';
import type { LambdaSnapshot, Read } from '../snapshot.js';
import { reader } from './reader.js';
import { readRole } from './role.js';

/** The client function of --lambda: its network, environment and execution role. */
export const lambdaReader = reader([], async ({ clients, options, region }): Promise<Read<LambdaSnapshot> | undefined> => {
  const name = options.lambda;
  if (!name) return undefined;
  const arn = name.startsWith('arn:') ? name : arnIn(region, 'lambda', `function:${name}`);
  const config = await read(`reading Lambda function ${name}`, async () => {
    const lambda = await clients.lambda();
    return requiring('lambda:GetFunctionConfiguration', arn, () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name })));
  });
  if (!config.ok) return config;
  const c = config.value;
  const roleArn = c.Role ?? '';
  return got({
    name: c.FunctionName ?? name,
    roleArn,
    subnetIds: c.VpcConfig?.SubnetIds ?? [],
    securityGroupIds: c.VpcConfig?.SecurityGroupIds ?? [],
    environment: c.Environment?.Variables ?? {},
    role: roleArn ? await readRole(clients, roleArn) : missing('the function has no execution role'),
  });
});
