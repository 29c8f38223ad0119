import { POSTGRES_PORT } from '../config/names.js';
import { envTagValue, tagValueProblem, type EnvRecord } from './records.js';

/** What a client connects with: libpq's variables, which node-postgres and psql read too. Never a password. */
export interface ConnectionSettings {
  host: string;
  database: string;
  user: string;
}

export const SSL_MODE = 'verify-full';

export function wantedEnvironment(settings: ConnectionSettings): Record<string, string> {
  return {
    PGHOST: settings.host,
    PGPORT: String(POSTGRES_PORT),
    PGUSER: settings.user,
    PGDATABASE: settings.database,
    PGSSLMODE: SSL_MODE,
  };
}

/** A variable left as it is, and why. */
export interface KeptVariable {
  variable: string;
  reason: string;
}

export interface EnvironmentPlan {
  /** The function's whole environment after grant (Lambda replaces it as a whole). */
  variables: Record<string, string>;
  /** One per variable grant adds or replaces; empty when nothing changes. */
  records: EnvRecord[];
  kept: KeptVariable[];
}

/**
 * What grant does to the environment: adds what is missing; keeps a different value unless told
 * to overwrite it, and even then when the value could not be kept in a tag for revoke to restore.
 */
export function planEnvironment(
  current: Readonly<Record<string, string>>,
  wanted: Readonly<Record<string, string>>,
  overwrite: boolean,
): EnvironmentPlan {
  const variables = { ...current };
  const records: EnvRecord[] = [];
  const kept: KeptVariable[] = [];
  for (const [variable, set] of Object.entries(wanted)) {
    const have = current[variable];
    if (have === set) continue;
    if (have === undefined) {
      records.push({ variable, set, kind: 'added' });
      variables[variable] = set;
      continue;
    }
    if (!overwrite) {
      kept.push({ variable, reason: 'has another value, kept (pass --overwrite-env to replace it)' });
      continue;
    }
    const record: EnvRecord = { variable, set, kind: 'replaced', prior: have };
    const problem = tagValueProblem(envTagValue(record));
    if (problem !== undefined) {
      kept.push({
        variable,
        reason: `has another value, kept: it cannot be recorded in a tag for revoke to restore (a tag value holds ${problem})`,
      });
      continue;
    }
    records.push(record);
    variables[variable] = set;
  }
  return { variables, records, kept };
}

export interface EnvironmentRestore {
  variables: Record<string, string>;
  /** What revoke undid: "PGHOST removed", "PGUSER restored". */
  undone: string[];
  kept: KeptVariable[];
}

/**
 * Undoes the records: an added variable is removed and a replaced one restored, each only while
 * it still holds the value grant set; a value changed since is the user's and stays. Already
 * undone (a second run) is nothing to do.
 */
export function restoreEnvironment(current: Readonly<Record<string, string>>, records: readonly EnvRecord[]): EnvironmentRestore {
  const variables = { ...current };
  const undone: string[] = [];
  const kept: KeptVariable[] = [];
  for (const record of records) {
    const have = current[record.variable];
    if (have === record.set) {
      if (record.kind === 'added') {
        delete variables[record.variable];
        undone.push(`${record.variable} removed`);
      } else {
        variables[record.variable] = record.prior;
        undone.push(`${record.variable} restored`);
      }
      continue;
    }
    const alreadyUndone = record.kind === 'added' ? have === undefined : have === record.prior;
    if (!alreadyUndone) kept.push({ variable: record.variable, reason: 'was changed after grant, kept as it is' });
  }
  return { variables, undone, kept };
}
