/** Exit codes are part of the public contract (DESIGN.md section 2). */
export const ExitCode = {
  success: 0,
  failure: 1,
  usage: 2,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where an error came from: the user's input, AWS, or this tool itself. */
export type ErrorSource = 'user' | 'aws' | 'tool';

export interface CliErrorOptions {
  hint?: string;
  exitCode?: ExitCode;
  source?: ErrorSource;
  code?: string;
  cause?: unknown;
  /** What a `--json` failure document carries besides the error (e.g. what a rollback undid). */
  details?: Readonly<Record<string, unknown>>;
}

/** The one error type a user sees. The top-level handler prints message, then hint. */
export class CliError extends Error {
  readonly hint?: string;
  readonly exitCode: ExitCode;
  readonly source: ErrorSource;
  readonly code: string;
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.source = options.source ?? 'tool';
    this.code = options.code ?? 'Failed';
    this.details = options.details;
  }
}

/** Bad usage or invalid input: exit 2, raised before any AWS call. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: ExitCode.usage, source: 'user', code: 'InvalidInput' });
    this.name = 'UsageError';
  }
}

/** A resource has our derived name but not our tag: it belongs to someone else. */
export class ForeignResourceError extends CliError {
  constructor(kind: string, id: string, tagKey: string, stack: string) {
    super(`${kind} ${id} exists but is not tagged ${tagKey}=${stack}; it belongs to someone else.`, {
      hint: `Nothing was changed. Choose another --name, or remove or tag ${id} yourself if it really is this stack's.`,
      source: 'user',
      code: 'ForeignResource',
    });
    this.name = 'ForeignResourceError';
  }
}

/** The run was interrupted (Ctrl-C): exit 130 after cleanup. */
export class InterruptedError extends CliError {
  constructor(message = 'Interrupted.', details?: CliErrorOptions['details']) {
    super(message, { exitCode: ExitCode.interrupted, source: 'user', code: 'Interrupted', details });
    this.name = 'InterruptedError';
  }
}
