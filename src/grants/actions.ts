import { CliError, InterruptedError } from '../errors.js';
import { undoContext, type GrantContext } from './context.js';
import { clientSecurityGroupName, connectPolicyName } from './records.js';
import { samePolicy } from './connect-policy.js';
import { Journal, type RollbackReport, type Undo } from './journal.js';
import { attachRolePolicy, deleteRolePolicy, detachRolePolicy, putRolePolicy, readRole, tagRole, untagRole } from './iam-role.js';
import { readFunction, tagFunction, untagFunction, type FunctionFacts } from './lambda-function.js';
import {
  authorizeRule,
  createClientGroup,
  deleteClientGroup,
  describeRule,
  findClientGroup,
  readGroups,
  revokeRule,
  tagGroup,
  untagGroup,
  type Direction,
} from './security-groups.js';
import { stackRules } from './network-rules.js';
import { POSTGRES_PORT } from '../config/names.js';

/** One write of a grant: what it changes (for the report), how it is made, how it is undone. */
export interface GrantAction<T = void> {
  what: string;
  run: () => Promise<T>;
  undo: Undo;
}

/** Tags the proxy's group with the client's index entry; undone only while it holds this user. */
export function indexAction(ctx: GrantContext, groupId: string, key: string, user: string): GrantAction {
  const tags = { [key]: user };
  return {
    what: `index tag ${key}=${user} on ${groupId}`,
    run: () => tagGroup(ctx, groupId, tags),
    undo: { what: `remove index tag ${key} from ${groupId}`, run: () => untagGroup(undoContext(ctx), groupId, tags) },
  };
}

/** Removes the tags of `written` that still hold the values written. */
function writtenStill(current: Readonly<Record<string, string>>, written: Readonly<Record<string, string>>): string[] {
  return Object.entries(written)
    .filter(([key, value]) => current[key] === value)
    .map(([key]) => key);
}

export function functionTagsAction(ctx: GrantContext, fn: FunctionFacts, tags: Record<string, string>): GrantAction {
  return {
    what: `records on Lambda function ${fn.name}: ${Object.keys(tags).join(', ')}`,
    run: () => tagFunction(ctx, fn, tags),
    undo: {
      what: `remove the records grant wrote on Lambda function ${fn.name}`,
      run: async () => {
        const u = undoContext(ctx);
        const now = await readFunction(u, fn.name);
        if (now) await untagFunction(u, fn, writtenStill(now.tags, tags));
      },
    },
  };
}

export function roleTagsAction(ctx: GrantContext, role: string, tags: Record<string, string>): GrantAction {
  return {
    what: `records on IAM role ${role}: ${Object.keys(tags).join(', ')}`,
    run: () => tagRole(ctx, role, tags),
    undo: {
      what: `remove the records grant wrote on IAM role ${role}`,
      run: async () => {
        const u = undoContext(ctx);
        const now = await readRole(u, role);
        if (now) await untagRole(u, role, writtenStill(now.tags, tags));
      },
    },
  };
}

/** Adds a rule described with its record; undone only while a rule from the peer still carries that description. */
export function ruleAction(ctx: GrantContext, direction: Direction, groupId: string, peerGroupId: string, stack: string, description: string): GrantAction {
  return {
    what: describeRule(direction, groupId, peerGroupId),
    run: () => authorizeRule(ctx, direction, groupId, peerGroupId, description),
    undo: {
      what: `remove ${describeRule(direction, groupId, peerGroupId)}`,
      run: async () => {
        const u = undoContext(ctx);
        const group = (await readGroups(u, [groupId])).get(groupId);
        const rules = group ? stackRules(direction === 'ingress' ? group.ingress : group.egress, stack, POSTGRES_PORT) : [];
        if (rules.some((r) => r.peerGroupId === peerGroupId && r.description === description)) await revokeRule(u, direction, groupId, peerGroupId, description);
      },
    },
  };
}

/** Writes the stack's connect policy; undone (the earlier version back, or none) only while it is the one written. */
export function policyAction(ctx: GrantContext, role: string, stack: string, document: string, prior: string | undefined, users: string): GrantAction {
  const name = connectPolicyName(stack);
  return {
    what: `inline policy ${name} on IAM role ${role}: rds-db:connect for ${users}`,
    run: () => putRolePolicy(ctx, role, name, document),
    undo: {
      what: `restore inline policy ${name} of IAM role ${role}`,
      run: async () => {
        const u = undoContext(ctx);
        const now = (await readRole(u, role))?.inlinePolicies.get(name);
        if (now === undefined || !samePolicy(now, document)) return;
        if (prior === undefined) await deleteRolePolicy(u, role, name);
        else await putRolePolicy(u, role, name, prior);
      },
    },
  };
}

export function attachAction(ctx: GrantContext, role: string, policyArn: string): GrantAction {
  return {
    what: `${policyArn} attached to IAM role ${role}`,
    run: () => attachRolePolicy(ctx, role, policyArn),
    undo: { what: `detach ${policyArn} from IAM role ${role}`, run: () => detachRolePolicy(undoContext(ctx), role, policyArn) },
  };
}

/** Creates the stack's client security group; undone by deleting it (AWS may hold it a while: then the undo fails, and says so). */
export function createClientGroupAction(ctx: GrantContext, stack: string, vpcId: string): GrantAction<string> {
  return {
    what: `security group ${clientSecurityGroupName(stack)} created in ${vpcId}`,
    run: () => createClientGroup(ctx, stack, vpcId),
    undo: {
      what: `delete security group ${clientSecurityGroupName(stack)}`,
      run: async () => {
        const u = undoContext(ctx);
        const group = await findClientGroup(u, stack);
        if (group && (await deleteClientGroup(u, group.id)) === 'in-use') {
          throw new CliError(`security group ${group.id} is still in use; \`rdsproxy-setup teardown\` deletes it later.`);
        }
      },
    },
  };
}

/** A grant that failed after some writes: its rollback, and the error the command exits with. */
export class GrantFailedError extends CliError {
  constructor(
    cause: unknown,
    readonly rollback: RollbackReport,
  ) {
    const base = cause instanceof CliError ? cause : undefined;
    const message = base?.message ?? (cause instanceof Error ? cause.message : String(cause));
    const left = rollback.failed.map((f) => f.what);
    super(message, {
      hint: [
        base?.hint,
        left.length === 0
          ? `Everything this run changed was undone (${rollback.undone.length}).`
          : `Not undone: ${left.join('; ')}. Run \`rdsproxy-setup revoke\` for this client to remove what its records name.`,
      ]
        .filter(Boolean)
        .join(' '),
      code: base?.code ?? 'GrantFailed',
      source: base?.source ?? 'tool',
      exitCode: base?.exitCode,
      cause,
      details: { rollback: { undone: rollback.undone, left } },
    });
    this.name = 'GrantFailedError';
  }
}

/**
 * One grant's writes, made in order, each undo recorded before its write. On the first failure
 * (or an interruption) `failed` undoes this run's writes in reverse and gives the error to throw.
 */
export class GrantRun {
  private readonly journal = new Journal();
  readonly changed: string[] = [];

  private started = false;

  /** A first Ctrl-C aborts the context's signal: no new write starts, and the run is undone. */
  constructor(private readonly ctx: Pick<GrantContext, 'signal' | 'beforeFirstWrite'>) {}

  async apply<T>(action: { what: string; run: () => Promise<T>; undo: Undo }): Promise<T> {
    if (!this.started) {
      this.started = true;
      await this.ctx.beforeFirstWrite?.();
    }
    if (this.ctx.signal.aborted) throw new InterruptedError('Interrupted: grant stopped and undid what it had changed.');
    const result = await this.journal.change(action.undo, action.run);
    this.changed.push(action.what);
    return result;
  }

  async failed(err: unknown): Promise<GrantFailedError> {
    return new GrantFailedError(err, await this.journal.rollback());
  }
}
