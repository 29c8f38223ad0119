// Writes the README's IAM policy from the built CLI: `rdsproxy-setup iam-policy --for all` for the
// README's example stack. test/unit/config/readme-iam-policy.test.ts fails until this has run.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = join(root, 'README.md');
const ARGS = ['iam-policy', '--for', 'all', '--name', 'orders-dev', '--region', 'eu-west-1'];

const policy = execFileSync(process.execPath, [join(root, 'bin', 'rdsproxy-setup.js'), ...ARGS], { encoding: 'utf8' });
const text = readFileSync(readme, 'utf8');
const block = /(<!-- iam-policy[^\n]*-->\n```json\n)[\s\S]*?(```)/;
if (!block.test(text)) throw new Error('README.md has no "<!-- iam-policy … -->" marker before a json block');
writeFileSync(readme, text.replace(block, (_, start, end) => `${start}${policy}${end}`));
process.stdout.write('README.md: IAM policy updated\n');
