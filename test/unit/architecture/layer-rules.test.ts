import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, format, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** A small src/ in which every layer imports only layers below it, and every file is used. */
const downwardTree: Record<string, string> = {
  'src/errors.ts': 'export class CliError extends Error {}',
  'src/config/names.ts': "import { CliError } from '../errors.js';",
  'src/aws/clients.ts': "import '../config/names.js';\nimport type { RDSClient } from '@aws-sdk/client-rds';",
  'src/waiters/poll.ts': "import '../aws/clients.js';",
  'src/steps/plan.ts': "import '../waiters/poll.js';\nimport { CreateDBClusterCommand } from '@aws-sdk/client-rds';",
  'src/doctor/checks.ts': "import '../config/names.js';\nimport '../waiters/poll.js';",
  'src/connect/token.ts': "import '../aws/clients.js';\nimport pg from 'pg';",
  'src/ui/output.ts': "import type { Plan } from '../steps/plan.js';",
  'src/commands/up.ts': "import '../ui/output.js';\nimport '../doctor/checks.js';\nimport '../connect/token.js';",
  'src/cli.ts': "import { Command } from 'commander';\nconst up = () => import('./commands/up.js');",
};

let project: string | undefined;

afterEach(() => {
  if (project) rmSync(project, { recursive: true, force: true });
  project = undefined;
});

/**
 * Runs the project's layer rules, as `npm run lint:layers` does, on a copy of this package
 * (same package.json and node_modules) whose src/ holds only the given files.
 */
async function checkLayers(files: Record<string, string>) {
  project = mkdtempSync(join(tmpdir(), 'layer-rules-'));
  copyFileSync(join(repoRoot, 'package.json'), join(project, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(project, 'node_modules'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(project, path)), { recursive: true });
    writeFileSync(join(project, path), text);
  }
  const options = await extractDepcruiseOptions(join(repoRoot, '.dependency-cruiser.mjs'));
  const result = (await cruise(['src'], { ...options, baseDir: project })).output as ICruiseResult;
  const report = await format(result, { outputType: 'err-long' });
  return {
    exitCode: report.exitCode,
    report: report.output as string,
    violations: result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to })),
  };
}

const installed = (pkg: string) => expect.stringMatching(new RegExp(`node_modules/${pkg}/`));

describe('the layer rules (.dependency-cruiser.mjs)', () => {
  it('pass a tree in which every layer imports only the layers below it', async () => {
    const { exitCode, violations } = await checkLayers(downwardTree);

    expect(violations).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('fail a config file that imports a step, naming the rule, the file and the import', async () => {
    const { exitCode, report, violations } = await checkLayers({
      ...downwardTree,
      'src/config/planted.ts': "import '../steps/plan.js';",
    });

    expect(violations).toEqual([{ rule: 'layer-config', from: 'src/config/planted.ts', to: 'src/steps/plan.ts' }]);
    expect(report).toContain('error layer-config: src/config/planted.ts → src/steps/plan.ts');
    expect(report).toContain('It may import only errors');
    expect(exitCode).toBe(1);
  });

  it('fail doctor importing a step, since steps, doctor and connect stand side by side', async () => {
    const { violations } = await checkLayers({
      ...downwardTree,
      'src/doctor/planted.ts': "import '../steps/plan.js';",
    });

    expect(violations).toEqual([{ rule: 'layer-doctor', from: 'src/doctor/planted.ts', to: 'src/steps/plan.ts' }]);
  });

  it('fail a step that imports only a type from ui: type imports count', async () => {
    const { violations } = await checkLayers({
      ...downwardTree,
      'src/steps/planted.ts': "import type { Output } from '../ui/output.js';",
    });

    expect(violations).toEqual([{ rule: 'layer-steps', from: 'src/steps/planted.ts', to: 'src/ui/output.ts' }]);
  });

  it('fail an import cycle, even one made only of type imports', async () => {
    const { violations } = await checkLayers({
      ...downwardTree,
      'src/waiters/backoff.ts': "import type { Timing } from './timing.js';",
      'src/waiters/timing.ts': "import type { Backoff } from './backoff.js';",
    });

    expect(violations).not.toEqual([]);
    for (const violation of violations) {
      expect(violation.rule).toBe('no-circular');
      expect(['src/waiters/backoff.ts', 'src/waiters/timing.ts']).toContain(violation.from);
    }
  });

  it('fail ui importing an AWS SDK client, even for a type', async () => {
    const { violations } = await checkLayers({
      ...downwardTree,
      'src/ui/planted.ts': "import type { DBProxy } from '@aws-sdk/client-rds';",
    });

    expect(violations).toEqual([
      { rule: 'aws-sdk-clients-only-where-aws-is-called', from: 'src/ui/planted.ts', to: installed('@aws-sdk/client-rds') },
    ]);
  });

  it('fail src importing from test/', async () => {
    const { violations } = await checkLayers({
      ...downwardTree,
      'src/steps/planted.ts': "import '../../test/support/fake-clock.js';",
      'test/support/fake-clock.ts': 'export const now = 0;',
    });

    expect(violations).toEqual([
      { rule: 'src-not-to-test', from: 'src/steps/planted.ts', to: 'test/support/fake-clock.ts' },
    ]);
  });

  it('fail src importing a devDependency', async () => {
    const { violations } = await checkLayers({
      ...downwardTree,
      'src/ui/planted.ts': "import { expect } from 'vitest';",
    });

    expect(violations).toEqual([{ rule: 'src-not-to-dev-dependency', from: 'src/ui/planted.ts', to: installed('vitest') }]);
  });

  it('fail src importing a package that is installed but not declared in package.json', async () => {
    const { violations } = await checkLayers({
      ...downwardTree,
      'src/aws/planted.ts': "import type { Logger } from '@smithy/types';",
    });

    expect(violations).toEqual([
      { rule: 'src-only-declared-packages', from: 'src/aws/planted.ts', to: installed('@smithy/types') },
    ]);
  });

  it('fail an import that resolves to no file', async () => {
    const { violations } = await checkLayers({
      ...downwardTree,
      'src/config/planted.ts': "import './no-such-file.js';",
    });

    expect(violations).toEqual([{ rule: 'not-to-unresolvable', from: 'src/config/planted.ts', to: './no-such-file.js' }]);
  });

  it('fail a file in src/ that nothing imports and that imports nothing', async () => {
    const { violations } = await checkLayers({
      ...downwardTree,
      'src/ui/unused.ts': 'export const unused = 1;',
    });

    expect(violations).toEqual([{ rule: 'no-orphans', from: 'src/ui/unused.ts', to: 'src/ui/unused.ts' }]);
  });
});
