import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module shared with the demo script, no type declarations
import { quietly } from '../../../scripts/quietly.mjs';

const node = process.execPath;
/** A step that warns 60 times on stderr, as pip does on machines with unusable package indexes, then exits with the code given. */
const noisyStep = (code: number) => ['-e', `for (let i = 0; i < 60; i++) console.error('WARNING: Location ' + i + ' is ignored'); process.exit(${code})`];

describe('an install step run quietly', () => {
  it('shows nothing when it succeeds, however much it warned', () => {
    const shown: string[] = [];

    quietly(node, noisyStep(0), (text: string) => shown.push(text));

    expect(shown).toEqual([]);
  });

  it('shows everything it printed when it fails, and fails', () => {
    const shown: string[] = [];

    expect(() => quietly(node, noisyStep(3), (text: string) => shown.push(text))).toThrow();

    expect(shown.join('').split('\n').filter((line) => line.startsWith('WARNING'))).toHaveLength(60);
  });
});
