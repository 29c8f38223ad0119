import { UsageError } from '../errors.js';
import { POLICY_COMMANDS, type PolicyCommand } from './iam-actions.js';

/** `iam-policy`'s own options, as commander hands them over. */
export interface RawIamPolicyOptions {
  for?: string;
  account?: string;
}

export interface IamPolicyOptions {
  commands: PolicyCommand[];
  /** A 12-digit account id, or `*`: the policy then fits any account. */
  account: string;
}

const CHOICES = [...POLICY_COMMANDS, 'all'].join('|');

/** `--for up,doctor` → the commands; `all` (the default) is every one of them. */
function commandsFor(value: string): PolicyCommand[] {
  const names = value.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) throw new UsageError(`--for "${value}" lists an empty command: use ${CHOICES}, comma-separated.`);
  const unknown = names.filter((n) => n !== 'all' && !(POLICY_COMMANDS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new UsageError(`--for "${unknown.join(', ')}" is not a command: use ${CHOICES}, comma-separated.`);
  return names.includes('all') ? [...POLICY_COMMANDS] : POLICY_COMMANDS.filter((c) => names.includes(c));
}

export function iamPolicyOptions(raw: RawIamPolicyOptions): IamPolicyOptions {
  const account = raw.account ?? '*';
  if (account !== '*' && !/^\d{12}$/.test(account)) throw new UsageError(`--account "${account}" is not a 12-digit AWS account id.`);
  return { commands: commandsFor(raw.for ?? 'all'), account };
}
