/**
 * What a wait or a retry reports while it goes on. Data, not words: the command decides how to
 * show it (a spinner's text, a plain line, nothing).
 */
export type Progress =
  /** A resource seen in a state on the way to the wanted one. */
  | { kind: 'waiting'; what: string; status: string; elapsedMs: number }
  /** A call refused with a known transient answer, about to be sent again. */
  | { kind: 'retrying'; what: string; because: string };
