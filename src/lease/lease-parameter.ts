import { DeleteParameterCommand, GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import type { AwsClients } from '../aws/clients.js';
import { aws, isErrorNamed, isNotFound, unlessNotFound } from '../aws/errors.js';
import { stackTags } from '../config/names.js';
import { parseHolder, type LeaseHolder, type ReadLease } from './lease-holder.js';

/**
 * The SSM Parameter Store calls of the lease: a standard-tier String parameter (no charge, deleted
 * at once) whose value names the holder. PutParameter without Overwrite creates it only if it is
 * absent (ParameterAlreadyExists otherwise): the one atomic step every lease rule builds on.
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html
 */

export async function readLeaseParameter(clients: AwsClients, name: string): Promise<ReadLease | undefined> {
  const ssm = await clients.ssm();
  const out = await unlessNotFound(() => aws(`reading ${name}`, () => ssm.send(new GetParameterCommand({ Name: name }))));
  const parameter = out?.Parameter;
  if (!parameter) return undefined;
  return {
    holder: parseHolder(parameter.Value),
    version: parameter.Version ?? 0,
    renewedAt: parameter.LastModifiedDate ?? new Date(0),
  };
}

/** Creates the parameter unless it exists; false when it does (someone else's, or ours after a lost answer). */
export async function createLeaseParameter(clients: AwsClients, name: string, holder: LeaseHolder, stack: string): Promise<boolean> {
  const ssm = await clients.ssm();
  try {
    await aws(`taking ${name}`, () =>
      ssm.send(
        new PutParameterCommand({
          Name: name,
          Description: `rdsproxy-setup ${stack}: the run that is changing the stack`,
          Value: JSON.stringify(holder),
          Type: 'String',
          Tier: 'Standard',
          Overwrite: false,
          // AWS takes tags only when a parameter is created, never with Overwrite.
          Tags: stackTags(stack),
        }),
      ),
    );
    return true;
  } catch (err) {
    if (isErrorNamed(err, 'ParameterAlreadyExists')) return false;
    throw err;
  }
}

/** Writes the holder over whatever the parameter holds: a renewal, or a takeover once its marker is won. */
export async function overwriteLeaseParameter(clients: AwsClients, name: string, holder: LeaseHolder): Promise<void> {
  const ssm = await clients.ssm();
  await aws(`renewing ${name}`, () =>
    ssm.send(new PutParameterCommand({ Name: name, Value: JSON.stringify(holder), Type: 'String', Tier: 'Standard', Overwrite: true })),
  );
}

/** Deletes the parameter; already gone counts as done. */
export async function deleteLeaseParameter(clients: AwsClients, name: string): Promise<void> {
  const ssm = await clients.ssm();
  try {
    await aws(`releasing ${name}`, () => ssm.send(new DeleteParameterCommand({ Name: name })));
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
