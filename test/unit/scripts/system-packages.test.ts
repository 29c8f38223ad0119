import { describe, expect, it } from 'vitest';
import { ensureSystemPackages, type Machine, type SystemNeed } from '../../../scripts/system-packages.mjs';

/** A machine that has `present`, lets apt-get run as root when `root` says how, and records each command run. */
function machine(present: SystemNeed[], root: string[] | undefined, installs = true) {
  const has = new Set(present);
  const runs: string[] = [];
  const stand: Machine = {
    has: (need) => has.has(need),
    rootPrefix: () => root,
    run: (command, args) => {
      runs.push([command, ...args].join(' '));
      if (installs && args.includes('install')) {
        if (args.includes('postgresql')) has.add('postgres');
        if (args.includes('openssl')) has.add('openssl');
        if (args.includes('python3-venv')) has.add('venv');
      }
    },
  };
  return { stand, runs };
}

describe("the machine's packages the quick-start commands need", () => {
  it('installs nothing and reports nothing missing when everything is there', () => {
    const { stand, runs } = machine(['venv', 'openssl', 'postgres'], []);

    const result = ensureSystemPackages(['venv', 'openssl', 'postgres'], { machine: stand, log: () => undefined });

    expect(result.missing).toEqual([]);
    expect(runs).toEqual([]);
  });

  it("installs only the missing ones from Debian's archive, saying so, when this user may", () => {
    const { stand, runs } = machine(['venv'], ['sudo', '-n']);
    const said: string[] = [];

    const result = ensureSystemPackages(['venv', 'openssl', 'postgres'], { machine: stand, log: (line) => said.push(line) });

    expect(result).toEqual({ missing: [] });
    expect(runs).toEqual([
      'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq',
      'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssl postgresql',
    ]);
    expect(said.join('\n')).toContain("Installing openssl, PostgreSQL's server binaries from Debian's archive");
  });

  it('runs nothing and names what is missing and the command that installs it when this user may not', () => {
    const { stand, runs } = machine(['openssl'], undefined);

    const result = ensureSystemPackages(['openssl', 'postgres'], { machine: stand, log: () => undefined });

    expect(runs).toEqual([]);
    expect(result).toEqual({ missing: ["PostgreSQL's server binaries"], install: 'sudo apt-get install -y postgresql' });
  });

  it('still names what an install did not bring', () => {
    const { stand } = machine([], [], false);

    const result = ensureSystemPackages(['postgres'], { machine: stand, log: () => undefined });

    expect(result).toEqual({ missing: ["PostgreSQL's server binaries"], install: 'sudo apt-get install -y postgresql' });
  });
});
