import { plainRenderer, type ProgressRenderer, type Activity } from './progress.js';
import { spinnerRenderer } from './spinner.js';
import { MARK } from './symbols.js';

export interface OutputOptions {
  json: boolean;
  verbose: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream;
}

/**
 * The one object that decides how a command talks: progress and logs on stderr (spinner on a
 * terminal outside CI, plain lines otherwise), the result on stdout (human text, or one JSON
 * document with --json). Nothing else in the tool writes to the console.
 */
export class Output {
  readonly json: boolean;
  readonly verboseEnabled: boolean;
  private readonly stdout: NodeJS.WritableStream;
  private readonly renderer: ProgressRenderer;

  private constructor(options: OutputOptions, renderer: ProgressRenderer) {
    this.json = options.json;
    this.verboseEnabled = options.verbose;
    this.stdout = options.stdout ?? process.stdout;
    this.renderer = renderer;
  }

  static async create(options: OutputOptions): Promise<Output> {
    const stderr = options.stderr ?? process.stderr;
    const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
    // A terminal that reports no width (some containers and recorders) cannot redraw a spinner.
    const sized = (stderr.columns ?? 0) > 0;
    const interactive = stderr.isTTY === true && sized && !inCi && process.env.TERM !== 'dumb';
    const renderer = interactive ? await spinnerRenderer(stderr) : plainRenderer((l) => stderr.write(`${l}\n`));
    return new Output(options, renderer);
  }

  /** For tests and for output that must not animate. */
  static plain(options: OutputOptions & { stderrWrite: (line: string) => void }): Output {
    return new Output(options, plainRenderer(options.stderrWrite));
  }

  start(text: string): Activity {
    return this.renderer.start(text);
  }

  info(text: string): void {
    this.renderer.line(`${MARK.info} ${text}`);
  }

  warn(text: string): void {
    this.renderer.line(`${MARK.warn} ${text}`);
  }

  /** --verbose detail (AWS calls, already redacted by the caller). */
  verbose(text: string): void {
    if (this.verboseEnabled) this.renderer.line(text);
  }

  /** The command's result: human text, or the JSON document with --json. */
  result(human: () => string, json: () => unknown): void {
    this.renderer.close();
    this.stdout.write(this.json ? `${JSON.stringify(json(), null, 2)}\n` : `${human()}\n`);
  }

  close(): void {
    this.renderer.close();
  }
}
