import type { AwsClients } from '../aws/clients.js';
import { CliError } from '../errors.js';
import type { GlobalConfig } from '../config/global-options.js';
import type { StackNames } from '../config/names.js';
import type { StackSettings } from '../config/up-config.js';
import type { PollTiming, WaitTiming } from '../config/timing.js';
import type { Progress } from '../waiters/progress.js';
import type { StackResources, StepId } from './resources.js';

/** How long waits and transient-error retries may take; tests shrink these. */
export interface StepTiming {
  /** Waits for a resource to become usable or to be gone, and when AWS usually gets there. */
  wait: WaitTiming;
  /** Retries of a known transient error (role propagation, instance still creating, SG in use). */
  retry: PollTiming;
  /** Retries of a change RDS refuses while the cluster is busy; shorter than a wait. */
  busy: PollTiming;
}

/**
 * What a step sees when it reads or deletes: `status` and `teardown` know the stack's name, not
 * the options `up` was once given, so there are no wanted settings here.
 */
export interface ReadContext {
  config: GlobalConfig;
  names: StackNames;
  clients: AwsClients;
  /** Filled by the plan and the runner as steps find or create their resource. */
  resources: Partial<StackResources>;
  /** Aborts waits and retries (first Ctrl-C, or another step failed). */
  signal: AbortSignal;
  timing: StepTiming;
  /** What the step is waiting for or retrying now; the command shows it. */
  progress(progress: Progress): void;
  /** Only `up` knows them; a read that depends on them (the network step) needs a BuildContext. */
  settings?: StackSettings;
}

/** What a step sees when `up` creates, repairs or waits: the wanted settings are known. */
export interface BuildContext extends ReadContext {
  settings: StackSettings;
  /** This run's id: every create tags it beside the stack (config/names.ts createdTags). */
  runId: string;
}

/** The wanted settings of a read that needs them; only `up` runs such a step. */
export function wantedSettings(ctx: ReadContext, step: StepId): StackSettings {
  if (ctx.settings === undefined) {
    throw new CliError(`Internal error: step "${step}" needs up's settings to find its resource.`, { code: 'StepOrder' });
  }
  return ctx.settings;
}

/**
 * One setting or rule of an existing resource that differs from what `up` wants. drift() finds
 * them (reads only, so --dry-run can show them); converge() applies exactly them.
 */
export interface Change {
  /** The AWS field or rule it is about: "DeletionProtection", "ingress tcp/5432". */
  field: string;
  /** What AWS has now ("missing" when there is nothing). */
  have: string;
  /** What `up` wants ("absent" when it is to be removed). */
  want: string;
  /** The AWS id the change acts on, where it has one of its own (a security group rule). */
  ref?: string;
}

/** What teardown keeps on purpose: the final snapshot, the secret in its recovery window. */
export interface KeptResource {
  kind: 'snapshot' | 'secret';
  id: string;
  detail: string;
}

export interface DestroyOptions {
  /** Teardown keeps a final snapshot unless told not to; rollback never takes one. */
  finalSnapshot: boolean;
  /** Delete the secret now instead of leaving it recoverable for 7 days. */
  forceDeleteSecret: boolean;
}

/** One row of a plan, a run or a status report. */
export interface ResourceSummary {
  id: string;
  arn?: string;
  state: string;
}

/**
 * One resource of the stack (DESIGN.md section 3). find always runs first: that is what makes
 * `up` idempotent and resumable. The runner records a resource the moment create returns.
 */
export interface Step<K extends StepId = StepId> {
  id: K;
  title: string;
  needs: readonly StepId[];
  /**
   * Needs (also listed in `needs`) this step may start after as soon as their create call has
   * returned, without waiting until they are ready: AWS accepts this step's calls while they are
   * still being built. The others are waited for until ready.
   */
  startsAfterCreated?: readonly StepId[];
  /** False for steps that only read or edit another step's resource: nothing to delete. */
  owned: boolean;
  /**
   * The steps whose found resource this step's find reads (none for most: they find by derived
   * name). `status` and teardown run every other find at once.
   */
  findAfter?: readonly StepId[];
  /** The id its resource has, or will have once created (--dry-run and status show it). */
  plannedId(ctx: ReadContext): string;
  /** Reads by derived name; throws ForeignResourceError if the name is taken without our tag. */
  find(ctx: ReadContext): Promise<StackResources[K] | undefined>;
  create(ctx: BuildContext): Promise<StackResources[K]>;
  /** What differs from the wanted settings; reads only. */
  drift?(ctx: BuildContext, current: StackResources[K]): Promise<Change[]>;
  /** Applies exactly the given changes to the existing resource. */
  converge?(ctx: BuildContext, current: StackResources[K], changes: readonly Change[]): Promise<StackResources[K]>;
  /** Until usable; honours ctx.signal. */
  wait?(ctx: BuildContext, resource: StackResources[K]): Promise<StackResources[K]>;
  /** Deletes and waits until gone; not-found is success. */
  destroy(ctx: ReadContext, resource: StackResources[K], options: DestroyOptions): Promise<KeptResource | void>;
  /** The AWS CLI command a user runs to delete it by hand when destroy could not. */
  manualDelete(ctx: ReadContext, resource: StackResources[K]): string;
  summary(resource: StackResources[K]): ResourceSummary;
}

export type AnyStep = { [K in StepId]: Step<K> }[StepId];

/** What an earlier step yielded. The runner starts a step only after its needs exist, so absence is a bug. */
export function needed<K extends StepId>(ctx: ReadContext, id: K): StackResources[K] {
  const resource = ctx.resources[id];
  if (resource === undefined) {
    throw new CliError(`Internal error: a step needs "${id}" before it has run.`, { code: 'StepOrder' });
  }
  return resource;
}
