export type SystemNeed = 'venv' | 'openssl' | 'postgres';

/** What ensureSystemPackages looks at and runs; tests give a stand-in. */
export interface Machine {
  has(need: SystemNeed): boolean;
  /** The command prefix that runs apt-get as root ([] as root, ['sudo', '-n']), or undefined when this user may not. */
  rootPrefix(): string[] | undefined;
  run(command: string, args: string[]): void;
}

export type SystemPackagesResult = { missing: [] } | { missing: string[]; install: string };

/**
 * Makes sure every named need is on the machine, installing the missing ones from Debian's
 * archive when it can. Returns what is still missing (empty when all is there) and the command
 * that installs it.
 */
export function ensureSystemPackages(
  names: SystemNeed[],
  options?: { log?: (line: string) => void; machine?: Machine },
): SystemPackagesResult;
