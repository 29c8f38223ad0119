import {
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { beforeAll } from 'vitest';
import { useSandbox, type Sandbox } from './sandbox.js';

/** An IAM user of the sandbox: the CLI's environment and the SDK's settings with its access key. */
export interface Principal {
  name: string;
  env: Record<string, string>;
  clientConfig: Sandbox['clientConfig'];
}

export interface PolicyDocument {
  Version: string;
  Statement: { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }[];
}

export interface AccessControlledSandbox {
  sandbox: Sandbox;
  /** A user allowed everything: builds fixtures and changes them between runs (set once beforeAll has run). */
  admin: Principal;
  /** A new user holding exactly this policy, as a customer managed policy (IAM's 6,144-character quota applies). */
  userWith(policy: PolicyDocument): Promise<Principal>;
}

/** The first requests moto answers without checking credentials: CreateUser, PutUserPolicy, CreateAccessKey of the admin. */
const UNCHECKED_REQUESTS = 3;

const ALLOW_EVERYTHING = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/**
 * A sandbox with moto's access control on: every request is signed with a sandbox user's access
 * key and allowed only by that user's policies (moto matches the actions; the resource it checks
 * is `*` for every service but IAM roles, and a statement with a Condition denies). One server
 * per test file, not reset between tests: the users live as long as it.
 */
export function useAccessControl(): AccessControlledSandbox {
  const sandbox = useSandbox({ resetEachTest: false, env: { INITIAL_NO_AUTH_ACTION_COUNT: String(UNCHECKED_REQUESTS) } });
  const controlled = { sandbox } as AccessControlledSandbox;
  let users = 0;

  function principal(name: string, accessKeyId: string, secretAccessKey: string): Principal {
    const credentials = { accessKeyId, secretAccessKey };
    return {
      name,
      env: { ...sandbox.env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey },
      clientConfig: { ...sandbox.clientConfig, credentials },
    };
  }

  async function accessKey(iam: IAMClient, name: string): Promise<Principal> {
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
    return principal(name, AccessKey!.AccessKeyId!, AccessKey!.SecretAccessKey!);
  }

  beforeAll(async () => {
    const unchecked = new IAMClient({ ...sandbox.clientConfig, maxAttempts: 1 });
    await unchecked.send(new CreateUserCommand({ UserName: 'admin' }));
    await unchecked.send(new PutUserPolicyCommand({ UserName: 'admin', PolicyName: 'everything', PolicyDocument: ALLOW_EVERYTHING }));
    controlled.admin = await accessKey(unchecked, 'admin');
    unchecked.destroy();
  });

  controlled.userWith = async (policy) => {
    const iam = new IAMClient(controlled.admin.clientConfig);
    const name = `cli-user-${++users}`;
    await iam.send(new CreateUserCommand({ UserName: name }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `${name}-policy`, PolicyDocument: JSON.stringify(policy) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: name, PolicyArn: Policy!.Arn! }));
    const user = await accessKey(iam, name);
    iam.destroy();
    return user;
  };
  return controlled;
}

/**
 * The policy as moto can judge it: moto checks each request's action against the statements, but
 * it knows the request's resource only for IAM roles (`*` elsewhere, which no ARN pattern
 * matches) and denies on any Condition. So the sandbox proves the list of actions; resources and
 * conditions are left to the unit tests of the table and to a real account.
 */
export function actionsOnly(policy: PolicyDocument): PolicyDocument {
  return {
    Version: policy.Version,
    Statement: policy.Statement.map(({ Sid, Effect, Action }) => ({ ...(Sid ? { Sid } : {}), Effect, Action, Resource: '*' })),
  };
}

/**
 * The reads of a role's own policies. While IAM's simulator answers, the doctor's IAM checks are
 * decided by it, so these reads change no check: they are what the doctor falls back on when the
 * simulator is denied, and are proven by denying them together with it.
 */
export const SIMULATOR_FALLBACK_READS: ReadonlySet<string> = new Set([
  'iam:ListRolePolicies',
  'iam:GetRolePolicy',
  'iam:ListAttachedRolePolicies',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
]);

/** What to deny to prove that a read matters: a fallback read goes together with the simulator. */
export const deniedWith = (action: string): string[] =>
  SIMULATOR_FALLBACK_READS.has(action) ? [action, 'iam:SimulatePrincipalPolicy'] : [action];

/** The policy without the given actions; a statement left with no action goes. */
export function without(policy: PolicyDocument, ...removed: string[]): PolicyDocument {
  return {
    Version: policy.Version,
    Statement: policy.Statement.flatMap((s) => {
      const actions = [s.Action].flat().filter((a) => !removed.includes(a));
      return actions.length > 0 ? [{ ...s, Action: actions }] : [];
    }),
  };
}
