/**
 * What one grant run changed, as undo actions, so that its own failure can roll back exactly that
 * (as Packer's steps do). Each undo is recorded before its change is made: the undo actions are
 * idempotent and check the values they restore, so a change whose answer was lost or that failed
 * half-way is undone too, and one that never happened is nothing to undo.
 */
export interface Undo {
  /** What it undoes, as the user reads it ("remove ingress tcp/5432 from sg-… on sg-…"). */
  what: string;
  run: () => Promise<void>;
}

export interface RollbackReport {
  undone: string[];
  failed: { what: string; error: unknown }[];
}

export class Journal {
  private readonly undos: Undo[] = [];

  get size(): number {
    return this.undos.length;
  }

  /** Records the undo, then makes the change. */
  async change<T>(undo: Undo, call: () => Promise<T>): Promise<T> {
    this.undos.push(undo);
    return call();
  }

  /** Runs every undo in reverse order; one that fails does not stop the others. */
  async rollback(): Promise<RollbackReport> {
    const report: RollbackReport = { undone: [], failed: [] };
    for (const undo of [...this.undos].reverse()) {
      try {
        await undo.run();
        report.undone.push(undo.what);
      } catch (error) {
        report.failed.push({ what: undo.what, error });
      }
    }
    this.undos.length = 0;
    return report;
  }
}
