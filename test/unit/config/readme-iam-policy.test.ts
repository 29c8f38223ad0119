import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { POLICY_COMMANDS } from '../../../src/config/iam-actions.js';
import { leastPrivilegePolicy } from '../../../src/config/least-privilege-policy.js';
import { stackNames } from '../../../src/config/names.js';
import { renderPolicy } from '../../../src/ui/policy-document.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the README\'s IAM policy', () => {
  it('is what `iam-policy --for all --name orders-dev --region eu-west-1` prints (npm run docs:iam-policy writes it)', () => {
    const block = /<!-- iam-policy[^\n]*-->\n```json\n([\s\S]*?)```/.exec(readme)?.[1];
    const policy = leastPrivilegePolicy(POLICY_COMMANDS, { partition: 'aws', region: 'eu-west-1', account: '*', names: stackNames('orders-dev', 'eu-west-1') });
    expect(block).toBe(`${renderPolicy(policy)}\n`);
  });
});
