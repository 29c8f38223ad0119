import { describe, expect, it } from 'vitest';
import { allRead, scheduleReads, type Reader, type Readers } from '../../../src/doctor/read-scheduler.js';

interface Values {
  a: string;
  b: string;
  c: string;
}

/** Readers whose reads finish when the test says, recording when each started and what it was given. */
function controlled(needs: { [K in keyof Values]: (keyof Values)[] }) {
  const started: string[] = [];
  const given: Partial<Record<keyof Values, unknown>> = {};
  const finish: Partial<Record<keyof Values, (value: string) => void>> = {};
  const make = (key: keyof Values): Reader<Values, string, string> => ({
    needs: needs[key],
    read: (scope, known) => {
      started.push(key);
      given[key] = { scope, known };
      return new Promise((resolve) => (finish[key] = resolve));
    },
  });
  const readers: Readers<Values, string> = { a: make('a'), b: make('b'), c: make('c') };
  return { readers, started, given, finish: (key: keyof Values, value: string) => finish[key]!(value) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('scheduling the reads', () => {
  it('starts every read that needs nothing at once', async () => {
    const { readers, started } = controlled({ a: [], b: [], c: ['a'] });
    scheduleReads(readers, 'scope');
    await settle();
    expect(started).toEqual(['a', 'b']);
  });

  it('starts a read as soon as what it needs is read, and gives it exactly those values', async () => {
    const { readers, started, given, finish } = controlled({ a: [], b: [], c: ['a'] });
    scheduleReads(readers, 'scope');
    await settle();
    finish('a', 'value of a');
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    expect(given.c).toEqual({ scope: 'scope', known: { a: 'value of a' } });
  });

  it('waits for every read a reader needs', async () => {
    const { readers, started, finish } = controlled({ a: [], b: [], c: ['a', 'b'] });
    scheduleReads(readers, 'scope');
    await settle();
    finish('a', 'A');
    await settle();
    expect(started).not.toContain('c');
    finish('b', 'B');
    await settle();
    expect(started).toContain('c');
  });

  it('runs each reader once, however many readers need it', async () => {
    const { readers, started, finish } = controlled({ a: [], b: ['a'], c: ['a', 'b'] });
    const pending = scheduleReads(readers, 'scope');
    await settle();
    finish('a', 'A');
    await settle();
    finish('b', 'B');
    await settle();
    finish('c', 'C');
    expect(await allRead(pending)).toEqual({ a: 'A', b: 'B', c: 'C' });
    expect(started).toEqual(['a', 'b', 'c']);
  });

  it('refuses readers that need each other in a cycle, before reading anything', () => {
    const { readers, started } = controlled({ a: ['c'], b: [], c: ['a'] });
    expect(() => scheduleReads(readers, 'scope')).toThrow('the reads need each other in a cycle: a → c → a');
    expect(started).toEqual([]);
  });

  it('refuses a reader that needs a value no reader produces', () => {
    const { readers } = controlled({ a: [], b: [], c: ['d' as keyof Values] });
    expect(() => scheduleReads(readers, 'scope')).toThrow('c needs d, which no reader produces');
  });
});
