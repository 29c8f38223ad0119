import { isDeepStrictEqual } from 'node:util';
import type { AccountInventory, Plain, PlainObject } from './account-inventory.js';

/** One value that differs between two inventories; undefined on a side where it does not exist. */
export interface Change {
  path: string[];
  before: Plain | undefined;
  after: Plain | undefined;
}

/** Every differing value, by its path ["clusters", "x-cluster", "DeletionProtection"], in key order. */
export function changes(before: AccountInventory, after: AccountInventory): Change[] {
  return differences(before as unknown as Plain, after as unknown as Plain, []);
}

function differences(before: Plain | undefined, after: Plain | undefined, path: string[]): Change[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => differences(before[key], after[key], [...path, key]));
  }
  return isDeepStrictEqual(before, after) ? [] : [{ path, before, after }];
}

function isObject(value: Plain | undefined): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Collection = keyof AccountInventory;
export type ResourceNames = Partial<Record<Collection, string[]>>;

/**
 * Which resources appeared, changed or disappeared, by collection and name (security groups by
 * group name, the rest by their key); collections without any are left out.
 */
export function resourceChanges(
  before: AccountInventory,
  after: AccountInventory,
): { added: ResourceNames; changed: ResourceNames; removed: ResourceNames } {
  const result = { added: {} as ResourceNames, changed: {} as ResourceNames, removed: {} as ResourceNames };
  for (const collection of Object.keys(after).sort() as Collection[]) {
    const was = before[collection];
    const now = after[collection];
    const name = (key: string) => (collection === 'securityGroups' ? String((now[key] ?? was[key])!.GroupName) : key);
    const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])];
    const sorted = (picked: string[]) => picked.map(name).sort();
    const kinds = {
      added: sorted(keys.filter((k) => !Object.hasOwn(was, k))),
      changed: sorted(keys.filter((k) => Object.hasOwn(was, k) && Object.hasOwn(now, k) && !isDeepStrictEqual(was[k], now[k]))),
      removed: sorted(keys.filter((k) => !Object.hasOwn(now, k))),
    };
    for (const kind of ['added', 'changed', 'removed'] as const) {
      if (kinds[kind].length > 0) result[kind][collection] = kinds[kind];
    }
  }
  return result;
}
