import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { read } from '../read.js';
import type { Read } from '../snapshot.js';
import { reader } from './reader.js';

export const identityReader = reader([], ({ clients }): Promise<Read<{ account: string; arn: string }>> =>
  read('reading the caller identity', async () => {
    const id = await (await clients.sts()).send(new GetCallerIdentityCommand({}));
    return { account: id.Account ?? 'unknown', arn: id.Arn ?? 'unknown' };
  }),
);
