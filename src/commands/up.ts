import { upConfig, type RawUpOptions } from '../config/up-config.js';
import type { RawGlobalOptions } from '../config/global-options.js';
import { stackOutputs } from '../steps/outputs.js';
import { planStack, plannedId, summarize, type StackPlan } from '../steps/plan.js';
import { runStack } from '../steps/runner.js';
import type { StepContext } from '../steps/step.js';
import { STACK_STEPS } from '../steps/stack.js';
import { handleInterrupts } from '../ui/interrupt.js';
import { renderOutputs, renderStackTable, type StackRow } from '../ui/stack-report.js';
import { commandContext, stackContext } from './command-context.js';

/** --dry-run: what exists, and what would be created or repaired. */
function planRows(plan: StackPlan, ctx: StepContext): StackRow[] {
  return [...plan.values()].map(({ step, found, drift }) => {
    if (found === undefined) {
      return { step: step.id, id: plannedId(step.id, ctx.names, ctx.settings), action: 'planned', state: 'to create' };
    }
    const summary = summarize(step, found);
    return drift.length > 0
      ? { step: step.id, ...summary, action: 'planned', state: `to update: ${drift.join('; ')}` }
      : { step: step.id, ...summary, action: 'exists' };
  });
}

function nextCommands(stack: string): string {
  return [
    'Next:',
    `  rdsproxy-setup connect --name ${stack} --via <tunnel host:port>   # IAM token + TLS through the proxy`,
    `  rdsproxy-setup connect --name ${stack} --print-snippet            # the code for your application`,
    `  rdsproxy-setup doctor --name ${stack}                             # check every hop`,
  ].join('\n');
}

export async function run(options: Record<string, unknown>): Promise<void> {
  // Every option is validated before the first AWS call: bad input exits 2 having touched nothing.
  const settings = upConfig(options as RawUpOptions);
  const command = await commandContext(options as RawGlobalOptions);
  const { config, out, clients } = command;
  const abort = new AbortController();
  const ctx = stackContext(command, settings, abort.signal);
  const stopHandling = handleInterrupts(abort, out, 'rolling back what this run created');
  try {
    const reading = out.start(`reading stack ${config.stack} in ${config.region}`);
    const plan = await planStack(ctx, STACK_STEPS, { checkDrift: true });
    reading.succeed(`read stack ${config.stack} in ${config.region}`);

    if (settings.dryRun) {
      const rows = planRows(plan, ctx);
      out.result(
        () => `Plan for stack ${config.stack} (--dry-run: nothing was changed)\n\n${renderStackTable(rows)}`,
        () => ({ stack: config.stack, region: config.region, resources: rows, outputs: {} }),
      );
      return;
    }

    const outcomes = await runStack(ctx, {
      steps: STACK_STEPS,
      plan,
      abort,
      rollback: settings.rollback,
      out,
      explain: async (step) => {
        if (step !== 'target') return undefined;
        // Loaded only when a target is unhealthy: the doctor's checks say why, before rollback.
        const [{ explainTargetHealth }, { renderChecks }] = await Promise.all([
          import('../doctor/explain-target-health.js'),
          import('../ui/doctor-report.js'),
        ]);
        return renderChecks(await explainTargetHealth(clients, config, ctx.names.proxy));
      },
    });
    const rows: StackRow[] = outcomes.map((o) => ({ step: o.step, ...o.resource, action: o.action }));
    const outputs = stackOutputs(ctx.resources, config.region, settings.masterUser);
    const unchanged = outcomes.every((o) => o.action === 'exists');
    out.result(
      () =>
        [
          unchanged ? `Stack ${config.stack} is complete: nothing to change.` : `Stack ${config.stack} is ready.`,
          '',
          renderStackTable(rows),
          '',
          renderOutputs(outputs),
          '',
          nextCommands(config.stack),
        ].join('\n'),
      () => ({ stack: config.stack, region: config.region, resources: rows, outputs }),
    );
  } finally {
    stopHandling();
    out.close();
  }
}
