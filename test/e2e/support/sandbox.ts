import { afterAll, beforeAll, beforeEach } from 'vitest';
// @ts-expect-error plain ES module shared with the demo script, no type declarations
import { startSandbox, sandboxEnv } from '../../../scripts/sandbox.mjs';

export interface Sandbox {
  endpoint: string;
  /** AWS_* variables that point the CLI and the SDK at this sandbox. */
  env: Record<string, string>;
  /** SDK client settings for this sandbox, for separate reads that check the CLI's work. */
  clientConfig: { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  reset(): Promise<void>;
}

/**
 * One moto server for this test file, emptied before each test (or, with resetEachTest false,
 * shared by the tests of a file that build one stack and read it from several sides). Call at
 * the top of a describe block; the returned object is filled in once beforeAll has run. `env`
 * goes to the sandbox server (moto's settings, a sandbox addition's switches). The sandbox checks
 * every request against AWS's model (sandbox/middleware/validation.py); after the file's tests,
 * any request it refused fails the file, each named.
 */
export function useSandbox(options: { resetEachTest?: boolean; env?: Record<string, string> } = {}): Sandbox {
  const sandbox = {} as Sandbox;
  let handle: { endpoint: string; reset(): Promise<void>; stop(): Promise<void> } | undefined;
  const refused: string[] = [];
  /** Keeps what the sandbox refused as invalid against AWS's model; a reset empties its list. */
  const collectViolations = async () => {
    const res = await fetch(`${handle!.endpoint}/_sandbox/violations`);
    const { violations } = (await res.json()) as { violations: { message: string }[] };
    refused.push(...violations.map((v) => v.message));
  };
  const reset = async () => {
    await collectViolations();
    await handle!.reset();
  };
  beforeAll(async () => {
    handle = await startSandbox({ env: options.env });
    const env = sandboxEnv(handle!.endpoint) as Record<string, string>;
    Object.assign(sandbox, {
      endpoint: handle!.endpoint,
      env,
      clientConfig: {
        region: env.AWS_REGION!,
        endpoint: handle!.endpoint,
        credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID!, secretAccessKey: env.AWS_SECRET_ACCESS_KEY! },
      },
      reset,
    });
  });
  beforeEach(async () => {
    if (options.resetEachTest ?? true) await reset();
  });
  afterAll(async () => {
    if (!handle) return;
    try {
      await collectViolations();
    } finally {
      await handle.stop();
    }
    // Every request must be one AWS would accept: the sandbox checks each against AWS's model.
    if (refused.length > 0) {
      throw new Error(`The sandbox refused ${refused.length} request(s) of this file as invalid against AWS's model:\n${refused.map((m) => `  - ${m}`).join('\n')}`);
    }
  });
  return sandbox;
}
