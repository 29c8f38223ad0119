import { execFileSync } from 'node:child_process';

/**
 * Runs an install step with its output held back: pip warns about every package index it cannot
 * use, dozens of lines before anything of ours. The output is shown only when the step fails.
 */
export function quietly(command, args, write = (text) => process.stderr.write(text)) {
  try {
    execFileSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    write(`${err.stdout ?? ''}${err.stderr ?? ''}`);
    throw err;
  }
}
