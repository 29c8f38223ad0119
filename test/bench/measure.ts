/** "median 344 ms, min 280 ms, max 448 ms over 10 runs" for a benchmark's own measurements. */
export function spread(samplesMs: readonly number[]): string {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  return `median ${ms(median)}, min ${ms(sorted[0]!)}, max ${ms(sorted.at(-1)!)} over ${sorted.length} runs`;
}

/**
 * Bench options for ten measured runs after one warmup: `reset` drops the warmup's samples when
 * the measured runs start; `report` prints the benchmark's own summary line after them.
 */
export function measuredRuns(reset: () => void, report: () => string) {
  return {
    time: 0,
    iterations: 10,
    warmupTime: 0,
    warmupIterations: 1,
    throws: true,
    setup: (_task: unknown, mode: 'warmup' | 'run') => {
      if (mode === 'run') reset();
    },
    teardown: (_task: unknown, mode: 'warmup' | 'run') => {
      if (mode === 'run') console.log(report());
    },
  };
}
