import type { RawGlobalOptions } from '../config/global-options.js';
import { ExitCode } from '../errors.js';
import { stackOutputs } from '../steps/outputs.js';
import { readStack } from '../steps/plan.js';
import type { ReadContext } from '../steps/step.js';
import { STACK_STEPS } from '../steps/stack.js';
import { clientSteps } from '../steps/client-steps.js';
import type { StepId } from '../steps/resources.js';
import { describeTargetRow } from '../waiters/target-health.js';
import { renderOutputs, renderStackTable, type StackRow } from '../ui/stack-report.js';
import { commandContext, readContext } from './command-context.js';
import { listClients } from '../grants/list-clients.js';
import { renderClients } from '../ui/client-report.js';

/**
 * The stack's resources as AWS reports them. The network step is left out: it resolves the
 * options `up` was given, which status does not know; every resource is found by its own name.
 */
const STATUS_STEPS = STACK_STEPS.filter((s) => s.id !== 'network');

/** The stack's own function and its role (`up --with-lambda`): listed when they exist, never missing. */
const OPTIONAL_STEPS: readonly StepId[] = ['client-role', 'client-function'];

const MISSING = 'missing';

/** What keeps the stack from being complete: each resource missing, and a secret waiting out its deletion window. */
function incompleteRows(rows: readonly StackRow[], ctx: ReadContext): StackRow[] {
  return rows.filter((r) => r.state === MISSING || (r.step === 'secret' && ctx.resources.secret?.deletedDate !== undefined));
}

/** The first line of the report: complete, absent, or what is missing and how to finish it. */
function headline(rows: readonly StackRow[], incomplete: readonly StackRow[], ctx: ReadContext): string {
  const { stack, region } = ctx.config;
  const missing = incomplete.filter((r) => r.state === MISSING);
  if (incomplete.length === 0) return `Stack ${stack} in ${region}`;
  // What teardown leaves on purpose (the secret in its recovery window) is no stack.
  if (incomplete.length === rows.length) {
    const kept = missing.length < rows.length ? ` Its secret ${ctx.names.secret} is scheduled for deletion (\`up\` restores it).` : '';
    return `Stack ${stack} does not exist in ${region}.${kept}`;
  }
  const parts = [
    ...(missing.length > 0 ? [`${missing.length} of ${rows.length} resources missing: ${missing.map((r) => `${r.step} ${r.id}`).join(', ')}`] : []),
    ...(incomplete.length > missing.length ? [`secret ${ctx.names.secret} is scheduled for deletion`] : []),
  ];
  return `Stack ${stack} in ${region} is incomplete (${parts.join('; ')}): run \`rdsproxy-setup up --name ${stack}\``;
}

/** `status`: exit 0 only when the stack is complete; 1 when part or all of it is missing. */
export async function run(options: Record<string, unknown>): Promise<void> {
  const command = await commandContext(options as RawGlobalOptions);
  const { config, out } = command;
  const ctx = readContext(command, new AbortController().signal);
  try {
    const reading = out.start(`reading stack ${config.stack} in ${config.region}`);
    const plan = await readStack(ctx, [...STATUS_STEPS, ...clientSteps()]);
    const clients = await listClients(ctx, { stack: config.stack, proxySecurityGroupId: ctx.resources['proxy-sg']?.id });
    reading.succeed(`read stack ${config.stack} in ${config.region}`);
    const entries = [...plan.values()].filter(({ step, found }) => found !== undefined || !OPTIONAL_STEPS.includes(step.id));
    const rows: StackRow[] = entries.map(({ step, found }) =>
      found === undefined
        ? { step: step.id, id: step.plannedId(ctx), action: 'planned', state: MISSING }
        : { step: step.id, ...step.summary(found), action: 'exists' },
    );
    const health = ctx.resources.target?.rows ?? [];
    const outputs = stackOutputs(ctx.resources, ctx.resources.cluster?.masterUser);
    const incomplete = incompleteRows(rows, ctx);
    out.result(
      () =>
        [
          headline(rows, incomplete, ctx),
          '',
          renderStackTable(rows),
          ...(health.length > 0
            ? ['', 'Target health:', ...health.map((h) => `  ${describeTargetRow(h)}${h.description ? ` ${h.description}` : ''}`)]
            : []),
          ...(outputs.proxyEndpoint ? ['', renderOutputs(outputs)] : []),
          ...(clients.length > 0 ? ['', renderClients(clients)] : []),
        ].join('\n'),
      () => ({
        stack: config.stack,
        region: config.region,
        resources: rows,
        outputs,
        targetHealth: health,
        missing: incomplete.map(({ step, id, state }) => ({ step, id, state })),
        clients,
      }),
    );
    // The report is the output; a stack that is incomplete or absent only sets the exit code.
    if (incomplete.length > 0) process.exitCode = ExitCode.failure;
  } finally {
    out.close();
  }
}
