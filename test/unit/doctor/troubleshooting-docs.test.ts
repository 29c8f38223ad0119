import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../../src/doctor/check.js';
import { KNOWN_ERRORS } from '../../../src/doctor/error-strings.js';

const docs = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the troubleshooting section', () => {
  it('documents every check id', () => {
    expect(CHECK_IDS.filter((id) => !docs.includes(`\`${id}\``))).toEqual([]);
  });

  it('lists every error string doctor recognises, with the checks that explain it', () => {
    for (const error of KNOWN_ERRORS) {
      const row = docs.split('\n').find((line) => line.startsWith(`| ${error.message} |`));
      expect(row, error.message).toBeDefined();
      for (const id of error.checks) expect(row, error.message).toContain(`\`${id}\``);
    }
  });
});
