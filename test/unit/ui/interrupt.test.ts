import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { handleInterrupts } from '../../../src/ui/interrupt.js';
import { Output } from '../../../src/ui/output.js';

describe('handleInterrupts', () => {
  let lines: string[];
  let out: Output;
  let abort: AbortController;
  let exit: MockInstance<typeof process.exit>;
  let stderr: MockInstance;
  let disposers: (() => void)[];
  let abandoned: number;

  /** Installs the handlers the way a command does, for the stack's rollback. */
  function handle(): () => void {
    const dispose = handleInterrupts(out, {
      onFirst: () => {
        abort.abort('interrupt');
        return 'rolling back what this run created';
      },
      abandonCalls: () => {
        abandoned += 1;
      },
    });
    disposers.push(dispose);
    return dispose;
  }

  beforeEach(() => {
    lines = [];
    out = Output.plain({ json: false, verbose: false, stderrWrite: (line) => lines.push(line) });
    abort = new AbortController();
    disposers = [];
    abandoned = 0;
    exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(() => {
    for (const dispose of disposers) dispose();
    vi.restoreAllMocks();
  });

  it('on the first Ctrl-C aborts the run and says that a second Ctrl-C exits now', () => {
    handle();

    process.emit('SIGINT');

    expect(abort.signal.aborted).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Interrupted: rolling back what this run created.');
    expect(lines[0]).toContain('Press Ctrl-C again to exit now.');
    expect(exit).not.toHaveBeenCalled();
  });

  it('on the first Ctrl-C abandons the AWS calls in flight once, after stopping the phase', () => {
    let abortedFirst = false;
    const dispose = handleInterrupts(out, {
      onFirst: () => {
        abort.abort('interrupt');
        return 'stopping';
      },
      abandonCalls: () => {
        abortedFirst = abort.signal.aborted;
        abandoned += 1;
      },
    });
    disposers.push(dispose);

    process.emit('SIGINT');

    expect(abandoned).toBe(1);
    expect(abortedFirst).toBe(true);
  });

  it('says what the phase the first Ctrl-C stopped does next', () => {
    const rollback = new AbortController();
    abort.abort('step-failed');
    disposers.push(
      handleInterrupts(out, {
        onFirst: () => {
          rollback.abort('interrupt');
          return 'stopping the rollback; what is left is listed with the commands that remove it';
        },
        abandonCalls: () => undefined,
      }),
    );

    process.emit('SIGINT');

    expect(rollback.signal.aborted).toBe(true);
    expect(lines).toEqual([expect.stringContaining('Interrupted: stopping the rollback; what is left is listed with the commands that remove it.')]);
    expect(exit).not.toHaveBeenCalled();
  });

  it('on the second Ctrl-C exits at once with code 130, saying nothing is cleaned up', () => {
    handle();
    process.emit('SIGINT');

    process.emit('SIGINT');

    expect(exit).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(130);
    expect(stderr).toHaveBeenCalledWith('Exiting now without cleaning up.\n');
  });

  it('treats SIGTERM like Ctrl-C: the first aborts, the second exits', () => {
    handle();

    process.emit('SIGTERM');
    expect(abort.signal.aborted).toBe(true);
    expect(exit).not.toHaveBeenCalled();

    process.emit('SIGTERM');
    expect(exit).toHaveBeenCalledWith(130);
  });

  it('stops listening once disposed: a later Ctrl-C neither aborts nor exits', () => {
    const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
    const dispose = handle();
    expect(process.listenerCount('SIGINT')).toBe(before.int + 1);

    dispose();
    process.emit('SIGINT');
    process.emit('SIGINT');

    expect(process.listenerCount('SIGINT')).toBe(before.int);
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
    expect(abort.signal.aborted).toBe(false);
    expect(abandoned).toBe(0);
    expect(lines).toEqual([]);
    expect(exit).not.toHaveBeenCalled();
  });
});
