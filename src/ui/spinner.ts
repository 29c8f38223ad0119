import type { Ora } from 'ora';
import type { Activity, ProgressRenderer } from './progress.js';
import { MARK } from './symbols.js';

/**
 * One ora spinner for all concurrent activities: its text lists what is running; a finished
 * activity is printed as a persistent line above it.
 */
export async function spinnerRenderer(stream: NodeJS.WriteStream): Promise<ProgressRenderer> {
  const { default: ora } = await import('ora');
  const spinner: Ora = ora({ stream, discardStdin: false });
  const running = new Map<number, string>();
  let next = 0;

  const refresh = () => {
    if (running.size === 0) {
      spinner.stop();
      return;
    }
    spinner.text = [...running.values()].join('  |  ');
    if (!spinner.isSpinning) spinner.start();
  };
  const persist = (symbol: string, text: string) => {
    spinner.stopAndPersist({ symbol, text });
    refresh();
  };

  return {
    start(text): Activity {
      const id = next++;
      running.set(id, text);
      refresh();
      const finish = (symbol: string) => (t: string) => {
        running.delete(id);
        persist(symbol, t);
      };
      return {
        update(t) {
          running.set(id, t);
          refresh();
        },
        succeed: finish(MARK.done),
        fail: finish(MARK.fail),
        note: finish(MARK.skip),
      };
    },
    line(text) {
      persist(' ', text);
    },
    close() {
      spinner.stop();
    },
  };
}
