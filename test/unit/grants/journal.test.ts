import { describe, expect, it } from 'vitest';
import { Journal } from '../../../src/grants/journal.js';

describe('the journal of a grant run', () => {
  it('undoes the changes in reverse order', async () => {
    const journal = new Journal();
    const order: string[] = [];
    for (const name of ['index', 'tags', 'rule']) {
      await journal.change({ what: `undo ${name}`, run: async () => void order.push(name) }, async () => undefined);
    }

    const report = await journal.rollback();

    expect(order).toEqual(['rule', 'tags', 'index']);
    expect(report.undone).toEqual(['undo rule', 'undo tags', 'undo index']);
  });

  it('undoes a change whose call failed, since it may have been made (its answer lost)', async () => {
    const journal = new Journal();
    const undone: string[] = [];
    const failing = journal.change({ what: 'undo update', run: async () => void undone.push('update') }, async () => {
      throw new Error('connection reset');
    });
    await expect(failing).rejects.toThrow('connection reset');

    await journal.rollback();

    expect(undone).toEqual(['update']);
  });

  it('goes on past an undo that fails, and reports it', async () => {
    const journal = new Journal();
    await journal.change({ what: 'undo first', run: async () => undefined }, async () => undefined);
    await journal.change({ what: 'undo second', run: async () => Promise.reject(new Error('still in use')) }, async () => undefined);

    const report = await journal.rollback();

    expect(report.undone).toEqual(['undo first']);
    expect(report.failed.map((f) => f.what)).toEqual(['undo second']);
  });

  it('is empty after a rollback, so nothing is undone twice', async () => {
    const journal = new Journal();
    let runs = 0;
    await journal.change({ what: 'undo', run: async () => void runs++ }, async () => undefined);

    await journal.rollback();
    await journal.rollback();

    expect(runs).toBe(1);
    expect(journal.size).toBe(0);
  });
});
