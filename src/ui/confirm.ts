import { createInterface } from 'node:readline/promises';
import { InterruptedError } from '../errors.js';

/** Whether a person can answer a prompt: stdin is a terminal. */
export function canPrompt(): boolean {
  return process.stdin.isTTY === true;
}

/** Asks on stderr for the exact text; true only when it was typed. */
export async function confirmByTyping(question: string, expected: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const closed = new Promise<never>((_, reject) => rl.once('SIGINT', () => reject(new InterruptedError())));
  try {
    const answer = await Promise.race([rl.question(`${question} `), closed]);
    return answer.trim() === expected;
  } finally {
    rl.close();
  }
}
