import { ExitCode } from '../errors.js';
import type { Output } from './output.js';

/**
 * First Ctrl-C aborts the controller so the command can clean up, and says a second one exits
 * now; the second exits at once with 130 (`up` resumes, `teardown` removes what is left).
 */
export function handleInterrupts(abort: AbortController, out: Output, cleanupWhat: string): () => void {
  let count = 0;
  const onSignal = () => {
    count += 1;
    if (count === 1) {
      out.warn(`Interrupted: ${cleanupWhat}. Press Ctrl-C again to exit now.`);
      abort.abort('interrupt');
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
