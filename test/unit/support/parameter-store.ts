import {
  DeleteParameterCommand,
  GetParameterCommand,
  ParameterAlreadyExists,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
  type Tag,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

export interface StoredParameter {
  value: string;
  version: number;
  lastModified: Date;
  tags: Tag[];
}

/**
 * Parameter Store in memory behind aws-sdk-client-mock, as the SSM API reference describes it:
 * PutParameter without Overwrite fails with ParameterAlreadyExists on an existing name, with
 * Overwrite it writes a new version (keeping the tags); GetParameter and DeleteParameter fail with
 * ParameterNotFound on a missing one. LastModifiedDate is the (possibly faked) clock's time.
 * Every SSMClient in the test talks to the one store, as two runs talk to one account.
 */
export function fakeParameterStore() {
  const ssm = mockClient(SSMClient);
  const parameters = new Map<string, StoredParameter>();
  /** Runs (and is awaited) before each call answers: a test's chance to act "between" two calls of a run. */
  let beforeAnswer: ((operation: string, name: string, input: { Value?: string; Overwrite?: boolean }) => void | Promise<void>) | undefined;
  const notFound = (name: string) => new ParameterNotFound({ message: `Parameter ${name} not found.`, $metadata: {} });

  ssm.on(GetParameterCommand).callsFake(async ({ Name }: { Name: string }) => {
    await beforeAnswer?.('GetParameter', Name, {});
    const p = parameters.get(Name);
    if (!p) throw notFound(Name);
    return { Parameter: { Name, Value: p.value, Version: p.version, LastModifiedDate: p.lastModified, Type: 'String' } };
  });
  ssm.on(PutParameterCommand).callsFake(async ({ Name, Value, Overwrite, Tags }: { Name: string; Value: string; Overwrite?: boolean; Tags?: Tag[] }) => {
    await beforeAnswer?.('PutParameter', Name, { Value, Overwrite });
    const existing = parameters.get(Name);
    if (existing && !Overwrite) throw new ParameterAlreadyExists({ message: 'The parameter already exists.', $metadata: {} });
    const version = (existing?.version ?? 0) + 1;
    parameters.set(Name, { value: Value, version, lastModified: new Date(), tags: existing?.tags ?? Tags ?? [] });
    return { Version: version, Tier: 'Standard' };
  });
  ssm.on(DeleteParameterCommand).callsFake(async ({ Name }: { Name: string }) => {
    await beforeAnswer?.('DeleteParameter', Name, {});
    if (!parameters.delete(Name)) throw notFound(Name);
    return {};
  });

  return {
    ssm,
    parameters,
    /** Writes a parameter as another run would have. */
    put(name: string, value: unknown, lastModified: Date = new Date()) {
      const version = (parameters.get(name)?.version ?? 0) + 1;
      parameters.set(name, { value: JSON.stringify(value), version, lastModified, tags: [] });
    },
    onCall(hook: typeof beforeAnswer) {
      beforeAnswer = hook;
    },
    /** The value stored under the name, parsed. */
    valueOf(name: string): Record<string, unknown> | undefined {
      const p = parameters.get(name);
      return p && (JSON.parse(p.value) as Record<string, unknown>);
    },
  };
}
