import { spawn } from 'node:child_process';
import { CLI } from './cli.js';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`, part of every Debian system) so it
 * can prompt; types `answer` once the output shows `prompt`. Returns the exit code and what the
 * terminal showed, escape sequences removed.
 */
export function runInTerminal(
  args: string[],
  env: Record<string, string>,
  prompt: RegExp,
  answer: string,
): Promise<{ code: number | null; screen: string }> {
  const command = `stty cols 120 rows 40; exec ${[process.execPath, CLI, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  let answered = false;
  child.stdout.on('data', (d) => {
    screen += String(d).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    if (!answered && prompt.test(screen)) {
      answered = true;
      child.stdin.write(`${answer}\r`);
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, screen })));
}
