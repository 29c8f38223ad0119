// Runs one invocation of a Node.js Lambda handler the way Lambda's Node.js runtime calls it, in a
// process of its own: used by the sandbox's Invoke (lambda_node_invoke.py) and by the tests'
// harness for the packaged function (test/e2e/support/lambda-runtime.ts).
//
//   node lambda_node_runner.mjs '<spec JSON>' < event.json
//   spec: { taskRoot, handler: "index.handler", timeoutSeconds, resultFile, requestId?, functionArn? }
//
// Writes { payload: "<JSON text>", functionError?: "Unhandled" } to resultFile; what the handler
// logs goes to stdout and stderr, as it goes to CloudWatch Logs on Lambda.
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html (handler setting, async and callback handlers)
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html (the context object)
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html (errorType, errorMessage, trace)
// https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html (Sandbox.Timedout)
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const spec = JSON.parse(process.argv[2]);
const requestId = spec.requestId ?? randomUUID();
const deadline = Date.now() + spec.timeoutSeconds * 1000;

function finish(payload, functionError) {
  writeFileSync(spec.resultFile, JSON.stringify({ payload: JSON.stringify(payload ?? null), ...(functionError ? { functionError } : {}) }));
  // Lambda freezes the environment once the answer is out; timers and sockets left open do not hold it.
  process.exit(0);
}

function errorPayload(err) {
  const error = err instanceof Error ? err : new Error(String(err));
  return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
}

function runtimeError(errorType, errorMessage) {
  return Object.assign(new Error(errorMessage), { name: errorType });
}

/** A `.js` file is an ES module when the nearest package.json in the task says "type": "module". */
function isEsModule(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) return JSON.parse(readFileSync(pkg, 'utf8')).type === 'module';
    if (dir === spec.taskRoot || dir === dirname(dir)) return false;
  }
}

/** "index.handler": the export `handler` of index.js, index.mjs or index.cjs in the task root. */
async function loadHandler() {
  const dot = spec.handler.lastIndexOf('.');
  const modulePath = spec.handler.slice(0, dot);
  const name = spec.handler.slice(dot + 1);
  for (const ext of ['.js', '.mjs', '.cjs']) {
    const file = join(spec.taskRoot, modulePath + ext);
    if (!existsSync(file)) continue;
    const esm = ext === '.mjs' || (ext === '.js' && isEsModule(file));
    const loaded = esm ? await import(pathToFileURL(file).href) : createRequire(file)(file);
    if (typeof loaded[name] !== 'function') {
      throw runtimeError('Runtime.HandlerNotFound', `${spec.handler} is undefined or not exported`);
    }
    return loaded[name];
  }
  throw runtimeError('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'`);
}

const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
  invokedFunctionArn: spec.functionArn,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  awsRequestId: requestId,
  logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
};

setTimeout(() => {
  finish(
    { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${spec.timeoutSeconds.toFixed(2)} seconds` },
    'Unhandled',
  );
}, spec.timeoutSeconds * 1000);
process.on('uncaughtException', (err) => finish(errorPayload(err), 'Unhandled'));
process.on('unhandledRejection', (err) => finish(errorPayload(err), 'Unhandled'));

try {
  const event = JSON.parse(readFileSync(0, 'utf8') || 'null');
  const handler = await loadHandler();
  const result =
    handler.length >= 3
      ? await new Promise((resolve, reject) => {
          const answer = handler(event, context, (err, value) => (err ? reject(err) : resolve(value)));
          if (answer && typeof answer.then === 'function') answer.then(resolve, reject);
        })
      : await handler(event, context);
  finish(result);
} catch (err) {
  finish(errorPayload(err), 'Unhandled');
}
