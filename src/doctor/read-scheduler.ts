/**
 * Runs a set of readers, each as soon as the reads it needs are done: reads that do not need each
 * other run at the same time, and no read waits for more than its own inputs.
 */

/** One reader: the other reads it needs (by name), and its own read, given exactly those values. */
export interface Reader<Values, Scope, T, N extends keyof Values = keyof Values> {
  needs: readonly N[];
  read(scope: Scope, known: Pick<Values, N>): Promise<T>;
}

/** One reader for each value. */
export type Readers<Values, Scope> = { readonly [K in keyof Values]-?: Reader<Values, Scope, Values[K]> };

/** Each value as it is read. */
export type Pending<Values> = { readonly [K in keyof Values]-?: Promise<Values[K]> };

/** Throws when a reader needs a value no reader produces, or when needs go round in a cycle. */
function assertSchedulable<Values>(readers: Readers<Values, unknown>): void {
  const done = new Set<keyof Values>();
  const visiting: (keyof Values)[] = [];
  const visit = (key: keyof Values) => {
    if (done.has(key)) return;
    if (visiting.includes(key)) throw new Error(`the reads need each other in a cycle: ${[...visiting, key].map(String).join(' → ')}`);
    const reader = readers[key] as Reader<Values, unknown, unknown> | undefined;
    if (!reader) throw new Error(`${String(visiting.at(-1))} needs ${String(key)}, which no reader produces`);
    visiting.push(key);
    reader.needs.forEach(visit);
    visiting.pop();
    done.add(key);
  };
  (Object.keys(readers) as (keyof Values)[]).forEach(visit);
}

export function scheduleReads<Values, Scope>(readers: Readers<Values, Scope>, scope: Scope): Pending<Values> {
  assertSchedulable(readers as Readers<Values, unknown>);
  const started = new Map<keyof Values, Promise<unknown>>();
  const start = (key: keyof Values): Promise<unknown> => {
    const running = started.get(key);
    if (running) return running;
    const reader: Reader<Values, Scope, unknown> = readers[key];
    const promise = Promise.all(reader.needs.map(start)).then((values) =>
      reader.read(scope, Object.fromEntries(reader.needs.map((need, i) => [need, values[i]])) as Pick<Values, keyof Values>),
    );
    started.set(key, promise);
    return promise;
  };
  (Object.keys(readers) as (keyof Values)[]).forEach(start);
  return Object.fromEntries(started) as Pending<Values>;
}

/** Every value, once all are read. */
export async function allRead<Values>(pending: Pending<Values>): Promise<Values> {
  const keys = Object.keys(pending) as (keyof Values)[];
  const values = await Promise.all(keys.map((key) => pending[key]));
  return Object.fromEntries(keys.map((key, i) => [key, values[i]])) as Values;
}
