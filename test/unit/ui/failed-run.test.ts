import { describe, expect, it } from 'vitest';
import { Output } from '../../../src/ui/output.js';
import { renderKept, renderRollback } from '../../../src/ui/failed-run.js';

function captured(): { out: Output; lines: string[] } {
  const lines: string[] = [];
  const out = Output.plain({ json: false, verbose: false, stderrWrite: (line) => lines.push(line.replace(/^\[\s*[\dms]+\] /, '')) });
  return { out, lines };
}

const secret = { step: 'secret', title: 'master secret', id: 'rdsproxy-setup/demo/master' } as const;
const role = { step: 'role', title: 'IAM role', id: 'rdsproxy-demo-us-east-1' } as const;

describe('a failed run, as `up` shows it', () => {
  it('lists what the rollback undid, what it kept on purpose and what it could not undo, with the command', () => {
    const { out, lines } = captured();

    renderRollback(
      {
        deleted: [secret],
        kept: [{ kind: 'secret', id: secret.id, detail: 'recoverable until 2026-12-06' }],
        left: [{ ...role, reason: 'DeleteConflict: still attached', manualDelete: 'aws iam delete-role --role-name x' }],
      },
      out,
    );

    expect(lines).toEqual([
      '• Rolled back: rdsproxy-setup/demo/master.',
      '• Kept secret rdsproxy-setup/demo/master: recoverable until 2026-12-06',
      '! Could not undo role rdsproxy-demo-us-east-1 (DeleteConflict: still attached). Remove it with: aws iam delete-role --role-name x',
    ]);
  });

  it('with --no-rollback, lists what it kept and how to finish or remove the stack', () => {
    const { out, lines } = captured();

    renderKept([secret, role], 'demo', out);

    expect(lines).toEqual([
      '! Kept what this run created (--no-rollback): master secret rdsproxy-setup/demo/master, IAM role rdsproxy-demo-us-east-1.',
      '• Run `rdsproxy-setup up --name demo` to finish the stack, or `teardown` to remove it.',
    ]);
  });

  it('with --no-rollback and nothing created, says nothing', () => {
    const { out, lines } = captured();

    renderKept([], 'demo', out);

    expect(lines).toEqual([]);
  });
});
