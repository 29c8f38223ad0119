import { describe, expect, it } from 'vitest';
import { CliError, InterruptedError } from '../../../src/errors.js';
import type { StackEvent } from '../../../src/steps/events.js';
import { Output } from '../../../src/ui/output.js';
import { stackProgress } from '../../../src/ui/stack-progress.js';

/** The plain progress lines the events turn into, without their elapsed-time stamps. */
function linesFor(events: StackEvent[]): string[] {
  const lines: string[] = [];
  const out = Output.plain({ json: false, verbose: false, stderrWrite: (line) => lines.push(line) });
  const emit = stackProgress(out);
  events.forEach(emit);
  return lines.map((line) => line.replace(/^\[\s*[\dms]+\] /, ''));
}

const proxy = { step: 'proxy', title: 'RDS proxy' } as const;
const role = { step: 'role', title: 'IAM role', id: 'rdsproxy-demo-us-east-1' } as const;

describe('stack progress', () => {
  it('shows a step from its start to its result, with the status of its wait and its retries', () => {
    const lines = linesFor([
      { type: 'step-started', ...proxy },
      { type: 'step-progress', ...proxy, progress: { kind: 'waiting', what: 'RDS proxy demo-proxy', status: 'creating', elapsedMs: 12_000 } },
      {
        type: 'step-progress',
        ...proxy,
        progress: { kind: 'retrying', what: 'RDS proxy demo-proxy', because: 'the new IAM role has not propagated' },
      },
      { type: 'step-done', ...proxy, action: 'created', resource: { id: 'demo-proxy', state: 'available' } },
    ]);

    expect(lines).toEqual([
      '… RDS proxy',
      '… RDS proxy: waiting for RDS proxy demo-proxy: creating (12s)',
      '… RDS proxy: RDS proxy demo-proxy: the new IAM role has not propagated; retrying',
      '✔ RDS proxy demo-proxy created',
    ]);
  });

  it('words a repair from its typed changes', () => {
    const lines = linesFor([
      { type: 'step-started', ...proxy },
      {
        type: 'step-updating',
        ...proxy,
        changes: [
          { field: 'RequireTLS', have: 'off', want: 'on' },
          { field: 'ingress rule', ref: 'sgr-1', have: 'tcp 5432 from 0.0.0.0/0', want: 'absent' },
        ],
      },
    ]);

    expect(lines[1]).toBe('… RDS proxy: repairing RequireTLS: off → on; ingress rule sgr-1: tcp 5432 from 0.0.0.0/0 → absent');
  });

  it('marks a failed step with the error and an interrupted one as stopped', () => {
    const lines = linesFor([
      { type: 'step-started', ...proxy },
      { type: 'step-failed', ...proxy, cause: new CliError('creating RDS proxy demo-proxy: denied'), interrupted: false },
      { type: 'step-started', step: 'role', title: 'IAM role' },
      { type: 'step-failed', step: 'role', title: 'IAM role', cause: new InterruptedError(), interrupted: true },
    ]);

    expect(lines).toContain('✖ RDS proxy: creating RDS proxy demo-proxy: denied');
    expect(lines).toContain('– IAM role stopped');
  });

  it('announces a rollback with what it undoes, then each deletion and what it kept', () => {
    const lines = linesFor([
      { type: 'rollback-started', resources: [role, { step: 'secret', title: 'master secret', id: 'demo/master' }] },
      { type: 'delete-started', resource: role },
      { type: 'deleted', resource: role },
      { type: 'delete-started', resource: { step: 'secret', title: 'master secret', id: 'demo/master' } },
      {
        type: 'deleted',
        resource: { step: 'secret', title: 'master secret', id: 'demo/master' },
        kept: { kind: 'secret', id: 'demo/master', detail: 'recoverable for 7 days' },
      },
    ]);

    expect(lines[0]).toBe('! Rolling back what this run created (2): IAM role rdsproxy-demo-us-east-1, master secret demo/master.');
    expect(lines).toContain('✔ IAM role rdsproxy-demo-us-east-1 deleted');
    expect(lines).toContain('✔ master secret demo/master deleted (kept secret demo/master)');
  });

  it('shows a deletion that failed with its reason', () => {
    const lines = linesFor([
      { type: 'delete-started', resource: role },
      { type: 'delete-failed', resource: role, cause: new Error('DeleteConflict: policies attached') },
    ]);

    expect(lines).toContain('✖ IAM role rdsproxy-demo-us-east-1 not deleted: DeleteConflict: policies attached');
  });
});
