import { formatElapsed } from '../config/timing.js';
import { MARK } from './symbols.js';

/** One unit of work in progress (a step, a wait, a deletion). */
export interface Activity {
  /** Replaces the text shown while it runs. */
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  /** Ends it with a neutral line (skipped, kept, nothing to do). */
  note(text: string): void;
}

/** Renders activities on stderr: a spinner on a terminal, plain lines otherwise. */
export interface ProgressRenderer {
  start(text: string): Activity;
  line(text: string): void;
  /** Stops any spinner so another writer may use the terminal. */
  close(): void;
}

/** Plain lines with the elapsed time since the command started: for CI, pipes and --json. */
export function plainRenderer(write: (line: string) => void, now: () => number = Date.now): ProgressRenderer {
  const started = now();
  const stamp = () => `[${formatElapsed(now() - started).padStart(6)}]`;
  const emit = (mark: string, text: string) => write(`${stamp()} ${mark} ${text}`);
  return {
    start(text) {
      emit('…', text);
      let last = text;
      return {
        update(next) {
          // Only changed text is printed, so a long wait does not repeat the same line.
          if (next !== last) emit('…', next);
          last = next;
        },
        succeed: (t) => emit(MARK.done, t),
        fail: (t) => emit(MARK.fail, t),
        note: (t) => emit(MARK.skip, t),
      };
    },
    line: (text) => write(`${stamp()} ${text}`),
    close: () => undefined,
  };
}
