import { ExitCode } from '../errors.js';
import type { Output } from './output.js';

/** What a command does on the first Ctrl-C. */
export interface InterruptHandling {
  /** Stops what runs now (aborts its signal) and says what happens next: "rolling back what this run created". */
  onFirst(): string;
  /** Abandons every AWS call in flight, so that nothing waits for one that hangs. */
  abandonCalls(): void;
}

/**
 * The first Ctrl-C (or SIGTERM), in whatever phase it comes, stops that phase, abandons the AWS
 * calls in flight and says a second one exits now; the command then lists what is left and exits
 * 130. The second exits at once with 130 (`up` resumes, `teardown` removes what is left).
 */
export function handleInterrupts(out: Output, handling: InterruptHandling): () => void {
  let count = 0;
  const onSignal = () => {
    count += 1;
    if (count === 1) {
      const next = handling.onFirst();
      out.warn(`Interrupted: ${next}. Press Ctrl-C again to exit now.`);
      handling.abandonCalls();
      return;
    }
    out.close();
    process.stderr.write('Exiting now without cleaning up.\n');
    process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
