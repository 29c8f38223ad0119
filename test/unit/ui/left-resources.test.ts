import { describe, expect, it } from 'vitest';
import { renderTeardownLeft } from '../../../src/ui/left-resources.js';
import { Output } from '../../../src/ui/output.js';

function captured(json: boolean): { out: Output; lines: string[]; stdout: string[] } {
  const lines: string[] = [];
  const stdout: string[] = [];
  const out = Output.plain({
    json,
    verbose: false,
    stdout: { write: (text: string) => stdout.push(text) } as unknown as NodeJS.WritableStream,
    stderrWrite: (line) => lines.push(line.replace(/^\[\s*[\dms]+\] /, '')),
  });
  return { out, lines, stdout };
}

const LEFT = [
  { step: 'role', title: 'IAM role', id: 'rdsproxy-demo-us-east-1', reason: 'AccessDenied', manualDelete: 'aws iam delete-role --role-name rdsproxy-demo-us-east-1' },
  {
    step: 'secret',
    title: 'master secret',
    id: 'rdsproxy-setup/demo/master',
    reason: 'still needed by IAM role rdsproxy-demo-us-east-1, which was not deleted',
    manualDelete: 'aws secretsmanager delete-secret --secret-id rdsproxy-setup/demo/master',
  },
] as const;

describe('what teardown left, as it shows it', () => {
  it.each([false, true])('lists every resource left on stderr with its reason and command, --json %s, and nothing on stdout', (json) => {
    const { out, lines, stdout } = captured(json);

    renderTeardownLeft(LEFT, 'demo', out);

    expect(lines).toEqual([
      '! 2 resources of stack demo left:',
      '! Left role rdsproxy-demo-us-east-1 (AccessDenied). Remove it with: aws iam delete-role --role-name rdsproxy-demo-us-east-1',
      '! Left secret rdsproxy-setup/demo/master (still needed by IAM role rdsproxy-demo-us-east-1, which was not deleted). Remove it with: aws secretsmanager delete-secret --secret-id rdsproxy-setup/demo/master',
    ]);
    expect(stdout).toEqual([]);
  });

  it('says nothing when nothing was left', () => {
    const { out, lines } = captured(false);

    renderTeardownLeft([], 'demo', out);

    expect(lines).toEqual([]);
  });
});
