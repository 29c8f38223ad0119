import { UsageError } from '../errors.js';
import * as rule from './rules.js';

/** The `user` commands' own options, as commander hands them over. */
export interface RawUserOptions {
  readOnly?: boolean;
  reassignTo?: string;
  closeDataApi?: boolean;
}

export interface UserAddOptions {
  user: string;
  access: 'read-write' | 'read-only';
  closeDataApi: boolean;
}

export interface UserRemoveOptions {
  user: string;
  reassignTo?: string;
  closeDataApi: boolean;
}

/** `user add <db-user> [--read-only]`: the name is checked before any AWS call (exit 2). */
export function userAddOptions(dbUser: string, raw: RawUserOptions): UserAddOptions {
  return {
    user: rule.newDatabaseUser(dbUser, '<db-user>'),
    access: raw.readOnly ? 'read-only' : 'read-write',
    closeDataApi: raw.closeDataApi ?? false,
  };
}

/** `user remove <db-user> [--reassign-to <user>]`: the heir may be any user (the master included). */
export function userRemoveOptions(dbUser: string, raw: RawUserOptions): UserRemoveOptions {
  const user = rule.newDatabaseUser(dbUser, '<db-user>');
  const reassignTo = raw.reassignTo === undefined ? undefined : rule.databaseUser(raw.reassignTo, '--reassign-to');
  if (reassignTo === user) throw new UsageError(`--reassign-to "${reassignTo}" is the user being removed; name another user.`);
  return { user, reassignTo, closeDataApi: raw.closeDataApi ?? false };
}
