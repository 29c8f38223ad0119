import type { Progress } from '../../../src/waiters/progress.js';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  InvalidRequestException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CliError, ForeignResourceError } from '../../../src/errors.js';
import { secretStep } from '../../../src/steps/secret.js';
import { stepContext, TEST_RUN_ID } from '../support/step-context.js';

const sm = mockClient(SecretsManagerClient);
const FAKE_PASSWORD = 'Zq9!fake-PASSWORD-never-shown#42';
const NAME = 'rdsproxy-setup/unit-stack/master';
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rdsproxy-setup/unit-stack/master-AbCdEf';
const OUR_TAGS = [{ Key: 'rdsproxy-setup:stack', Value: 'unit-stack' }];
const SECRET = { arn: ARN, name: NAME };

const notFound = () =>
  new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });

beforeEach(() => sm.reset());

describe('master secret: find', () => {
  it('finds nothing when no secret has the derived name', async () => {
    sm.on(DescribeSecretCommand).rejects(notFound());

    expect(await secretStep.find(stepContext())).toBeUndefined();
    expect(sm.commandCalls(DescribeSecretCommand)[0]!.args[0].input).toEqual({ SecretId: NAME });
  });

  it('finds our secret with its ARN and key', async () => {
    sm.on(DescribeSecretCommand).resolves({ ARN, Name: NAME, KmsKeyId: 'alias/custom', Tags: OUR_TAGS });

    expect(await secretStep.find(stepContext())).toEqual({ ...SECRET, kmsKeyId: 'alias/custom', deletedDate: undefined });
  });

  it('reads which run created the secret from its run tag', async () => {
    sm.on(DescribeSecretCommand).resolves({ ARN, Name: NAME, Tags: [...OUR_TAGS, { Key: 'rdsproxy-setup:run', Value: 'run-that-made-it' }] });

    expect((await secretStep.find(stepContext()))?.runId).toBe('run-that-made-it');
  });

  it('finds a secret waiting out its deletion window, with the date', async () => {
    const deletedDate = new Date('2026-01-10T00:00:00Z');
    sm.on(DescribeSecretCommand).resolves({ ARN, Name: NAME, Tags: OUR_TAGS, DeletedDate: deletedDate });

    expect((await secretStep.find(stepContext()))?.deletedDate).toEqual(deletedDate);
  });

  it('stops on a secret with our name but without our tag', async () => {
    sm.on(DescribeSecretCommand).resolves({ ARN, Name: NAME, Tags: [] });

    await expect(secretStep.find(stepContext())).rejects.toBeInstanceOf(ForeignResourceError);
  });
});

describe('master secret: create', () => {
  beforeEach(() => {
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: FAKE_PASSWORD });
  });

  it('asks AWS for a 32-character password without / @ " \' or spaces', async () => {
    sm.on(CreateSecretCommand).resolves({ ARN, Name: NAME });

    await secretStep.create(stepContext());

    const input = sm.commandCalls(GetRandomPasswordCommand)[0]!.args[0].input;
    expect(input.PasswordLength).toBe(32);
    for (const forbidden of ['/', '@', '"', "'", ' ']) expect(input.ExcludeCharacters).toContain(forbidden);
  });

  it('stores the RDS credential JSON for the master user and cluster, tagged with the stack', async () => {
    sm.on(CreateSecretCommand).resolves({ ARN, Name: NAME });

    const secret = await secretStep.create(stepContext({ up: { masterUser: 'admin_user' } }));

    expect(secret).toEqual(SECRET);
    const input = sm.commandCalls(CreateSecretCommand)[0]!.args[0].input;
    expect(input.Name).toBe(NAME);
    expect(input.Tags).toEqual([...OUR_TAGS, { Key: 'rdsproxy-setup:run', Value: TEST_RUN_ID }]);
    expect(JSON.parse(input.SecretString!)).toEqual({
      username: 'admin_user',
      password: FAKE_PASSWORD,
      engine: 'postgres',
      port: 5432,
      dbClusterIdentifier: 'unit-stack-cluster',
      host: '',
    });
  });

  it('never puts the password in the error or progress when storing it fails', async () => {
    const progress: Progress[] = [];
    sm.on(CreateSecretCommand).rejects(
      new InvalidRequestException({ message: 'You do not have permission to use the KMS key', $metadata: {} }),
    );

    const err = await secretStep.create(stepContext({ progress: (t) => progress.push(t) })).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(CliError);
    const shown = [(err as CliError).message, (err as CliError).hint ?? '', String(err), JSON.stringify(progress)].join('\n');
    expect(shown).toContain(`creating secret ${NAME}: You do not have permission to use the KMS key`);
    expect(shown).not.toContain(FAKE_PASSWORD);
  });
});

describe('master secret: drift', () => {
  it('reports nothing for an active secret', async () => {
    expect(await secretStep.drift!(stepContext(), SECRET)).toEqual([]);
  });

  it('reports a secret scheduled for deletion and converges by restoring it', async () => {
    const scheduled = { ...SECRET, deletedDate: new Date('2026-01-10T00:00:00Z') };
    sm.on(RestoreSecretCommand).resolves({ ARN, Name: NAME });

    const drift = await secretStep.drift!(stepContext(), scheduled);
    const restored = await secretStep.converge!(stepContext(), scheduled, drift);

    expect(drift).toEqual([
      { field: 'DeletedDate', have: 'deletion scheduled for 2026-01-10T00:00:00.000Z', want: 'not scheduled' },
    ]);
    expect(sm.commandCalls(RestoreSecretCommand)[0]!.args[0].input).toEqual({ SecretId: ARN });
    expect(restored).toEqual({ ...SECRET, deletedDate: undefined });
  });
});

describe('master secret: destroy', () => {
  it('schedules deletion with a 7-day window and reports the secret as kept, with how to restore it', async () => {
    sm.on(DeleteSecretCommand).resolves({ ARN, Name: NAME, DeletionDate: new Date('2026-01-17T12:00:00Z') });

    const kept = await secretStep.destroy(stepContext(), SECRET, { finalSnapshot: true, forceDeleteSecret: false });

    expect(sm.commandCalls(DeleteSecretCommand)[0]!.args[0].input).toEqual({ SecretId: ARN, RecoveryWindowInDays: 7 });
    expect(kept).toEqual({
      kind: 'secret',
      id: NAME,
      detail: `recoverable until 2026-01-17T12:00:00.000Z (aws secretsmanager restore-secret --secret-id ${NAME} --region us-east-1)`,
    });
  });

  it('deletes at once without recovery when forced, keeping nothing', async () => {
    sm.on(DeleteSecretCommand).resolves({ ARN, Name: NAME });

    const kept = await secretStep.destroy(stepContext(), SECRET, { finalSnapshot: true, forceDeleteSecret: true });

    expect(sm.commandCalls(DeleteSecretCommand)[0]!.args[0].input).toEqual({
      SecretId: ARN,
      ForceDeleteWithoutRecovery: true,
    });
    expect(kept).toBeUndefined();
  });

  it('counts a secret that is already gone as deleted', async () => {
    sm.on(DeleteSecretCommand).rejects(notFound());

    await expect(
      secretStep.destroy(stepContext(), SECRET, { finalSnapshot: false, forceDeleteSecret: false }),
    ).resolves.toBeUndefined();
  });

  it('leaves a secret already scheduled for deletion as it is, reported as kept', async () => {
    const scheduled = { ...SECRET, deletedDate: new Date('2026-01-10T00:00:00Z') };

    const kept = await secretStep.destroy(stepContext(), scheduled, { finalSnapshot: false, forceDeleteSecret: false });

    expect(sm.commandCalls(DeleteSecretCommand)).toHaveLength(0);
    expect(kept).toMatchObject({ kind: 'secret', id: NAME });
    expect(kept && kept.detail).toContain('already scheduled for deletion on 2026-01-10T00:00:00.000Z');
  });

  it('force-deletes a secret already scheduled for deletion', async () => {
    sm.on(DeleteSecretCommand).resolves({ ARN, Name: NAME });
    const scheduled = { ...SECRET, deletedDate: new Date('2026-01-10T00:00:00Z') };

    await secretStep.destroy(stepContext(), scheduled, { finalSnapshot: false, forceDeleteSecret: true });

    expect(sm.commandCalls(DeleteSecretCommand)[0]!.args[0].input.ForceDeleteWithoutRecovery).toBe(true);
  });

  it('summarises an active and a scheduled secret', () => {
    expect(secretStep.summary(SECRET)).toEqual({ id: NAME, arn: ARN, state: 'active' });
    expect(secretStep.summary({ ...SECRET, deletedDate: new Date() }).state).toBe('scheduled for deletion');
  });
});
