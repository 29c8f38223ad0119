/** The outcome of running work over a dependency graph. */
export interface GraphRun<Id> {
  done: Id[];
  failed: { id: Id; error: unknown }[];
  /** Never started: a node it waits for failed, or the run stopped after a failure. */
  notStarted: Id[];
}

export interface GraphOptions<Id> {
  /** True when `node` may start only after `other` is done. */
  waitsFor: (node: Id, other: Id) => boolean;
  concurrency: number;
  /** Forward runs stop starting new work at the first failure; destruction goes on where it can. */
  stopOnFailure: boolean;
}

/**
 * Starts each node as soon as every node it waits for is done, with at most `concurrency`
 * running at once. In-flight work always runs to its end before this returns.
 */
export async function runGraph<Id>(
  nodes: readonly Id[],
  work: (node: Id) => Promise<void>,
  options: GraphOptions<Id>,
): Promise<GraphRun<Id>> {
  const result: GraphRun<Id> = { done: [], failed: [], notStarted: [] };
  const pending = new Set(nodes);
  const running = new Map<Id, Promise<void>>();
  const blockers = (node: Id) => nodes.filter((other) => other !== node && options.waitsFor(node, other));
  const isDone = (node: Id) => result.done.includes(node);
  const isBroken = (node: Id): boolean =>
    result.failed.some((f) => f.id === node) || result.notStarted.includes(node);

  for (;;) {
    const stopped = options.stopOnFailure && result.failed.length > 0;
    for (const node of [...pending]) {
      if (stopped || blockers(node).some(isBroken)) {
        pending.delete(node);
        result.notStarted.push(node);
        continue;
      }
      if (running.size >= options.concurrency) break;
      if (!blockers(node).every(isDone)) continue;
      pending.delete(node);
      running.set(
        node,
        work(node).then(
          () => void result.done.push(node),
          (error: unknown) => void result.failed.push({ id: node, error }),
        ),
      );
    }
    if (running.size === 0) break;
    const finished = await Promise.race([...running].map(([node, p]) => p.then(() => node)));
    running.delete(finished);
  }
  // Nodes still pending here wait for something that can never finish.
  result.notStarted.push(...pending);
  return result;
}
