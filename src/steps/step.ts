import type { AwsClients } from '../aws/clients.js';
import { CliError } from '../errors.js';
import type { GlobalConfig } from '../config/global-options.js';
import type { StackNames } from '../config/names.js';
import type { StackSettings } from '../config/up-config.js';
import type { PollTiming } from '../config/timing.js';
import type { StackResources, StepId } from './resources.js';

/** How long waits and transient-error retries may take; tests shrink these. */
export interface StepTiming {
  /** Waits for a resource to become usable or to be gone. */
  wait: PollTiming;
  /** Retries of a known transient error (role propagation, instance still creating, SG in use). */
  retry: PollTiming;
}

/** What a step sees: settings, names, clients and what earlier steps produced. */
export interface StepContext {
  config: GlobalConfig;
  settings: StackSettings;
  names: StackNames;
  clients: AwsClients;
  /** Filled by the runner as steps find or create their resource. */
  resources: Partial<StackResources>;
  /** Aborts waits and retries (first Ctrl-C, or another step failed). */
  signal: AbortSignal;
  timing: StepTiming;
  /** Shows what the step is doing now ("waiting for cluster: creating (1m10s)"). */
  progress(text: string): void;
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
  /** False for steps that only read or edit another step's resource: nothing to delete. */
  owned: boolean;
  /** Reads by derived name; throws ForeignResourceError if the name is taken without our tag. */
  find(ctx: StepContext): Promise<StackResources[K] | undefined>;
  create(ctx: StepContext): Promise<StackResources[K]>;
  /** What differs from the wanted settings, in words; reads only. */
  drift?(ctx: StepContext, current: StackResources[K]): Promise<string[]>;
  /** Repairs the drift on an existing resource. */
  converge?(ctx: StepContext, current: StackResources[K], drift: string[]): Promise<StackResources[K]>;
  /** Until usable; honours ctx.signal. */
  wait?(ctx: StepContext, resource: StackResources[K]): Promise<StackResources[K]>;
  /** Deletes and waits until gone; not-found is success. */
  destroy(ctx: StepContext, resource: StackResources[K], options: DestroyOptions): Promise<KeptResource | void>;
  /** The AWS CLI command a user runs to delete it by hand when destroy could not. */
  manualDelete(ctx: StepContext, resource: StackResources[K]): string;
  summary(resource: StackResources[K]): ResourceSummary;
}

export type AnyStep = { [K in StepId]: Step<K> }[StepId];

/** What an earlier step yielded. The runner starts a step only after its needs, so absence is a bug. */
export function needed<K extends StepId>(ctx: StepContext, id: K): StackResources[K] {
  const resource = ctx.resources[id];
  if (resource === undefined) {
    throw new CliError(`Internal error: a step needs "${id}" before it has run.`, { code: 'StepOrder' });
  }
  return resource;
}
