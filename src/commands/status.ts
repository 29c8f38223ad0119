import type { RawGlobalOptions } from '../config/global-options.js';
import { stackOutputs } from '../steps/outputs.js';
import { readStack } from '../steps/plan.js';
import { STACK_STEPS } from '../steps/stack.js';
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

export async function run(options: Record<string, unknown>): Promise<void> {
  const command = await commandContext(options as RawGlobalOptions);
  const { config, out } = command;
  const ctx = readContext(command, new AbortController().signal);
  try {
    const reading = out.start(`reading stack ${config.stack} in ${config.region}`);
    const plan = await readStack(ctx, STATUS_STEPS);
    const clients = await listClients(ctx, { stack: config.stack, proxySecurityGroupId: ctx.resources['proxy-sg']?.id });
    reading.succeed(`read stack ${config.stack} in ${config.region}`);
    const rows: StackRow[] = [...plan.values()].map(({ step, found }) =>
      found === undefined
        ? { step: step.id, id: step.plannedId(ctx), action: 'planned', state: 'missing' }
        : { step: step.id, ...step.summary(found), action: 'exists' },
    );
    const health = ctx.resources.target?.rows ?? [];
    const outputs = stackOutputs(ctx.resources, ctx.resources.cluster?.masterUser);
    const missing = rows.filter((r) => r.state === 'missing').length;
    out.result(
      () =>
        [
          missing === rows.length
            ? `Stack ${config.stack} does not exist in ${config.region}.`
            : `Stack ${config.stack} in ${config.region}${missing > 0 ? ` (${missing} of ${rows.length} resources missing: run \`rdsproxy-setup up --name ${config.stack}\`)` : ''}`,
          '',
          renderStackTable(rows),
          ...(health.length > 0
            ? ['', 'Target health:', ...health.map((h) => `  ${describeTargetRow(h)}${h.description ? ` ${h.description}` : ''}`)]
            : []),
          ...(outputs.proxyEndpoint ? ['', renderOutputs(outputs)] : []),
          ...(clients.length > 0 ? ['', renderClients(clients)] : []),
        ].join('\n'),
      () => ({ stack: config.stack, region: config.region, resources: rows, outputs, targetHealth: health, clients }),
    );
  } finally {
    out.close();
  }
}
