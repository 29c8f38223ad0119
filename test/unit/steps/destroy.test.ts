import { describe, expect, it } from 'vitest';
import { destroyResources } from '../../../src/steps/destroy.js';
import type { AnyStep, Step } from '../../../src/steps/step.js';
import { stepContext } from '../support/step-context.js';

/**
 * Three steps as in the stack: the proxy needs the target group's step, which needs the role
 * (the middle one owns nothing, so teardown never deletes it). Each delete is recorded.
 */
function chain(deleted: string[], refused?: string): { proxy: Step; pool: Step; role: Step; graph: AnyStep[] } {
  const step = (id: 'proxy' | 'target-group' | 'role', needs: Step['needs'], owned: boolean) =>
    ({
      id,
      title: id,
      needs,
      owned,
      plannedId: () => id,
      find: async () => ({}),
      create: async () => ({}),
      destroy: async () => {
        await new Promise((r) => setTimeout(r, id === 'proxy' ? 10 : 0));
        if (id === refused) throw new Error(`deleting ${id}: refused`);
        deleted.push(id);
      },
      manualDelete: () => `delete ${id}`,
      summary: () => ({ id, state: 'available' }),
    }) as unknown as Step;
  const proxy = step('proxy', ['target-group'], true);
  const pool = step('target-group', ['role'], false);
  const role = step('role', [], true);
  return { proxy, pool, role, graph: [role, pool, proxy] as unknown as AnyStep[] };
}

describe('destroying resources', () => {
  it('orders deletions by the whole graph, also through a step that is not being deleted', async () => {
    const deleted: string[] = [];
    const { proxy, role, graph } = chain(deleted);

    const report = await destroyResources(
      stepContext(),
      [
        { step: role, resource: {} as never },
        { step: proxy, resource: {} as never },
      ],
      { options: { finalSnapshot: false, forceDeleteSecret: false }, graph, emit: () => undefined },
    );

    expect(deleted).toEqual(['proxy', 'role']);
    expect(report.deleted.map((d) => d.step)).toEqual(['proxy', 'role']);
  });

  it('names the resource left that still needs one it never deleted, and lists them in the order to remove them', async () => {
    const deleted: string[] = [];
    const { proxy, role, graph } = chain(deleted, 'proxy');

    const report = await destroyResources(
      stepContext(),
      [
        { step: role, resource: {} as never },
        { step: proxy, resource: {} as never },
      ],
      { options: { finalSnapshot: false, forceDeleteSecret: false }, graph, emit: () => undefined },
    );

    expect(deleted).toEqual([]);
    expect(report.left).toEqual([
      { step: 'proxy', title: 'proxy', id: 'proxy', reason: 'deleting proxy: refused', manualDelete: 'delete proxy' },
      { step: 'role', title: 'role', id: 'role', reason: 'still needed by proxy proxy, which was not deleted', manualDelete: 'delete role' },
    ]);
  });
});
