import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Cluster, Secret } from '../../../src/steps/resources.js';
import { secretHostStep } from '../../../src/steps/secret-host.js';
import { stepContext } from '../support/step-context.js';

const sm = mockClient(SecretsManagerClient);
const FAKE_PASSWORD = 'Zq9!fake-PASSWORD-never-shown#42';
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rdsproxy-setup/unit-stack/master-AbCdEf';
const ENDPOINT = 'unit-stack-cluster.cluster-abc123.us-east-1.rds.amazonaws.com';
const SECRET: Secret = { arn: ARN, name: 'rdsproxy-setup/unit-stack/master' };
const CLUSTER: Cluster = {
  id: 'unit-stack-cluster',
  arn: 'arn:aws:rds:us-east-1:123456789012:cluster:unit-stack-cluster',
  status: 'available',
  endpoint: ENDPOINT,
  port: 5432,
  deletionProtection: true,
  iamDatabaseAuthentication: true,
  masterUser: 'postgres',
};
const STORED = { username: 'postgres', password: FAKE_PASSWORD, engine: 'postgres', port: 5432, host: '' };

const context = (resources: { secret?: Secret; cluster?: Cluster } = { secret: SECRET, cluster: CLUSTER }) =>
  stepContext({ resources });

function storing(value: object) {
  sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ ARN, SecretString: JSON.stringify(value) });
}

beforeEach(() => sm.reset());

describe('secret host: find', () => {
  it("finds the host when the secret already holds the cluster's endpoint", async () => {
    storing({ ...STORED, host: ENDPOINT });

    expect(await secretHostStep.find(context())).toEqual({ host: ENDPOINT });
  });

  it('finds nothing while the host is still empty', async () => {
    storing(STORED);

    expect(await secretHostStep.find(context())).toBeUndefined();
  });

  it('finds nothing when the host names another endpoint', async () => {
    storing({ ...STORED, host: 'old-cluster.cluster-xyz.us-east-1.rds.amazonaws.com' });

    expect(await secretHostStep.find(context())).toBeUndefined();
  });

  it('finds nothing, without reading, when the cluster is gone (teardown of a half-deleted stack)', async () => {
    expect(await secretHostStep.find(context({ secret: SECRET }))).toBeUndefined();
    expect(sm.calls()).toHaveLength(0);
  });

  it('finds nothing, without reading, while the secret is scheduled for deletion', async () => {
    const scheduled = { ...SECRET, deletedDate: new Date('2026-01-10T00:00:00Z') };

    expect(await secretHostStep.find(context({ secret: scheduled, cluster: CLUSTER }))).toBeUndefined();
    expect(sm.calls()).toHaveLength(0);
  });
});

describe('secret host: create', () => {
  it("writes the cluster's endpoint into host and keeps the password", async () => {
    storing(STORED);
    sm.on(PutSecretValueCommand).resolves({ ARN });

    const written = await secretHostStep.create(context());

    expect(written).toEqual({ host: ENDPOINT });
    const input = sm.commandCalls(PutSecretValueCommand)[0]!.args[0].input;
    expect(input.SecretId).toBe(ARN);
    expect(JSON.parse(input.SecretString!)).toEqual({ ...STORED, host: ENDPOINT });
  });

  it('refuses to write an empty host when the cluster has no endpoint yet', async () => {
    await expect(secretHostStep.create(context({ secret: SECRET, cluster: { ...CLUSTER, endpoint: '' } }))).rejects.toThrow(
      'Cluster unit-stack-cluster has no endpoint yet',
    );
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});

describe('secret host: destroy', () => {
  it('deletes nothing: the host is part of the secret', async () => {
    await secretHostStep.destroy(context(), { host: ENDPOINT }, { finalSnapshot: false, forceDeleteSecret: false });

    expect(sm.calls()).toHaveLength(0);
    expect(secretHostStep.owned).toBe(false);
  });
});
