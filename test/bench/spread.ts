/** "median 344 ms, min 280 ms, max 448 ms over 10 runs" for a benchmark's own measurements. */
export function spread(samplesMs: readonly number[]): string {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  return `median ${ms(median)}, min ${ms(sorted[0]!)}, max ${ms(sorted.at(-1)!)} over ${sorted.length} runs`;
}
