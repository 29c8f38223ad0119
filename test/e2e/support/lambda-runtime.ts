import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** The same runner the sandbox's Invoke uses: Lambda's Node.js runtime, as far as a handler can tell. */
const RUNNER = join(root, 'sandbox', 'additions', 'lambda_node_runner.mjs');
/** What `npm run build` makes and the package ships. */
export const CLIENT_ZIP = join(root, 'dist', 'lambda', 'client.zip');

export interface Invocation {
  /** The handler's answer, parsed from the payload Lambda would return. */
  payload: unknown;
  /** "Unhandled" when the handler threw or timed out, as Lambda's Invoke says it. */
  functionError?: string;
  /** What the handler logged. */
  logs: string;
}

export interface DeployedZip {
  invoke(event: unknown, options: { env: Record<string, string>; timeoutSeconds?: number }): Promise<Invocation>;
  remove(): void;
}

/**
 * A zip unzipped into a task directory, as Lambda does with a function's code; each invoke runs
 * the handler setting's file in a fresh Node process, with only the environment given (and PATH).
 */
export function deployZip(zipFile: string, handler: string): DeployedZip {
  if (!existsSync(zipFile)) throw new Error(`${zipFile} is missing: run \`npm run build\` (it bundles the function).`);
  const task = mkdtempSync(join(tmpdir(), 'rdsproxy-lambda-task-'));
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zipFile)))) writeFileSync(join(task, name), bytes);
  let invocations = 0;
  return {
    async invoke(event, { env, timeoutSeconds = 10 }) {
      invocations += 1;
      const resultFile = join(dirname(task), `${task.split('/').pop()}-result-${invocations}.json`);
      const spec = { taskRoot: task, handler, timeoutSeconds, resultFile };
      const child = spawn(process.execPath, [RUNNER, JSON.stringify(spec)], {
        cwd: task,
        env: { PATH: process.env.PATH ?? '', TZ: ':UTC', LAMBDA_TASK_ROOT: task, _HANDLER: handler, ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let logs = '';
      child.stdout.on('data', (d) => (logs += d));
      child.stderr.on('data', (d) => (logs += d));
      child.stdin.end(JSON.stringify(event));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      if (!existsSync(resultFile)) throw new Error(`the runner exited ${code} without an answer:\n${logs}`);
      const result = JSON.parse(readFileSync(resultFile, 'utf8')) as { payload: string; functionError?: string };
      rmSync(resultFile);
      return { payload: JSON.parse(result.payload), functionError: result.functionError, logs };
    },
    remove() {
      rmSync(task, { recursive: true, force: true });
    },
  };
}
