/** How a lease stays alive while its run works, and when it is another run's to take. */
export interface LeaseTiming {
  /** The holder rewrites the lease this often (an unref'd timer: it never keeps a process alive). */
  renewEveryMs: number;
  /**
   * A lease AWS has not seen renewed for this long belongs to a run that stopped (crash, SIGKILL,
   * a second Ctrl-C): the next run takes it over. Six missed renewals, so a slow call or a short
   * network outage never makes a live holder look stopped.
   */
  staleAfterMs: number;
}

export const LEASE_TIMING: LeaseTiming = { renewEveryMs: 20_000, staleAfterMs: 2 * 60_000 };
