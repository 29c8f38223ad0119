import { UsageError } from '../errors.js';
import * as rule from './rules.js';

/** grant's and revoke's own options (and up's --lambda), as commander hands them over. */
export interface RawClientOptions {
  lambda?: string | string[];
  role?: string;
  user?: string;
  attachVpc?: boolean;
  overwriteEnv?: boolean;
  clientSg?: string;
}

/** What one grant wires, validated: a function or a role, never both. */
export type ClientRequest =
  | { kind: 'lambda'; function: string; user?: string; attachVpc: boolean; overwriteEnv: boolean }
  | { kind: 'role'; role: string; user?: string; clientSecurityGroupId?: string };

function text(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${option} needs a value.`);
  return value.trim();
}

/** Refuses options that belong to the other kind of client. */
function onlyWith(raw: RawClientOptions, kind: 'lambda' | 'role', options: (keyof RawClientOptions)[]): void {
  const flag: Record<string, string> = { attachVpc: '--attach-vpc', overwriteEnv: '--overwrite-env', clientSg: '--client-sg', user: '--user' };
  const given = options.filter((o) => raw[o] !== undefined && raw[o] !== false);
  if (given.length > 0) throw new UsageError(`${given.map((o) => flag[o]).join(', ')} ${given.length === 1 ? 'goes' : 'go'} with --${kind} only.`);
}

/**
 * `grant`/`revoke --lambda <fn>` or `--role <role>`, every value checked before any AWS call.
 * revoke undoes what the records say, so it takes only the client.
 */
export function clientRequest(raw: RawClientOptions, command: 'grant' | 'revoke'): ClientRequest {
  const lambdas = [raw.lambda ?? []].flat();
  if (lambdas.length > 1) throw new UsageError('--lambda is given once per grant (up takes it several times).');
  const lambda = text(lambdas[0], '--lambda');
  const role = text(raw.role, '--role');
  if ((lambda === undefined) === (role === undefined)) {
    throw new UsageError(`${command} needs exactly one client: --lambda <function name or ARN> or --role <role name or ARN>.`);
  }
  if (command === 'revoke') {
    const extra = (['user', 'attachVpc', 'overwriteEnv', 'clientSg'] as const).filter((o) => raw[o] !== undefined && raw[o] !== false);
    if (extra.length > 0) throw new UsageError('revoke takes only --lambda or --role: it undoes what the records of that client say.');
  }
  const userText = text(raw.user, '--user');
  const user = userText === undefined ? undefined : rule.databaseUser(userText, '--user');
  if (lambda !== undefined) {
    onlyWith(raw, 'role', ['clientSg']);
    return {
      kind: 'lambda',
      function: rule.unqualifiedLambdaFunction(lambda, '--lambda'),
      user,
      attachVpc: raw.attachVpc === true,
      overwriteEnv: raw.overwriteEnv === true,
    };
  }
  onlyWith(raw, 'lambda', ['attachVpc', 'overwriteEnv']);
  const sg = text(raw.clientSg, '--client-sg');
  return {
    kind: 'role',
    role: rule.iamRole(role!, '--role'),
    user,
    clientSecurityGroupId: sg === undefined ? undefined : rule.securityGroupId(sg, '--client-sg'),
  };
}

/** `up --lambda f1 --lambda f2 [--attach-vpc] [--overwrite-env]`: the functions to grant once the stack is up. */
export interface UpClients {
  functions: string[];
  attachVpc: boolean;
  overwriteEnv: boolean;
}

export function upClients(raw: RawClientOptions): UpClients {
  const functions = [raw.lambda ?? []].flat().map((f) => rule.unqualifiedLambdaFunction(text(f, '--lambda')!, '--lambda'));
  if (functions.length === 0 && (raw.attachVpc || raw.overwriteEnv)) {
    throw new UsageError('--attach-vpc and --overwrite-env go with --lambda <function>.');
  }
  if (new Set(functions).size !== functions.length) throw new UsageError('--lambda names a function twice.');
  return { functions, attachVpc: raw.attachVpc === true, overwriteEnv: raw.overwriteEnv === true };
}
