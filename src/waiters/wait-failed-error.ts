import type { WaitedResource } from '../config/timing.js';
import { CliError } from '../errors.js';
import type { TargetHealthRow } from './target-health-row.js';

/** What kind of resource a wait was for. */
export type WaitedKind = WaitedResource;

/** A failed wait as data, for callers that explain it further (e.g. by naming doctor checks). */
export interface WaitFailure {
  /** The cluster or instance identifier, or the proxy name (for a proxy target too). */
  resource: { kind: WaitedKind; id: string };
  /**
   * The status exactly as AWS reported it ("incompatible-network"; a target's TargetHealth.State),
   * or "gone" when the resource vanished while awaited.
   */
  status: string;
  /** AWS's reason code and its text, where AWS gives them (a proxy target's TargetHealth). */
  reason?: string;
  description?: string;
  /** For a proxy target: the row that failed. */
  target?: TargetHealthRow;
}

/** A wait stopped on a state that waiting will not fix. */
export class WaitFailedError extends CliError {
  readonly failure: WaitFailure;

  constructor(message: string, failure: WaitFailure, hint?: string) {
    super(message, { hint, code: 'WaitFailed' });
    this.name = 'WaitFailedError';
    this.failure = failure;
  }
}
