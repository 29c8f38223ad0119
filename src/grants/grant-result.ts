import type { ClientRef } from './records.js';

/** What a grant did. */
export interface GrantResult {
  client: ClientRef;
  user: string;
  /** Each write, as the user reads it; empty when the client was wired already. */
  changes: string[];
  /** What was left as it is, and warnings. */
  notes: string[];
}
