import { CliError } from '../errors.js';
import { readSecretCredentials, writeSecretHost } from './secret-value.js';
import { needed, type Step } from './step.js';

/** Edits the secret's `host` key so that clients reading the secret find the cluster. */
export const secretHostStep: Step<'secret-host'> = {
  id: 'secret-host',
  title: 'secret host',
  needs: ['secret', 'cluster'],
  owned: false,
  findAfter: ['secret', 'cluster'],
  plannedId: (ctx) => ctx.names.secret,

  /** Teardown searches every step even when the secret or cluster is gone: then there is no host. */
  async find(ctx) {
    const { secret, cluster } = ctx.resources;
    // A secret waiting out its deletion window cannot be read until the secret step restores it.
    if (!secret || secret.deletedDate || !cluster) return undefined;
    const { host } = await readSecretCredentials(ctx.clients, secret.arn);
    return host !== undefined && host === cluster.endpoint ? { host } : undefined;
  },

  async create(ctx) {
    const { endpoint, id } = needed(ctx, 'cluster');
    if (!endpoint) throw new CliError(`Cluster ${id} has no endpoint yet, so the secret's host cannot be set.`);
    await writeSecretHost(ctx.clients, needed(ctx, 'secret').arn, endpoint);
    return { host: endpoint };
  },

  destroy: async () => undefined,
  manualDelete: () => 'nothing to delete: the host is a key inside the master secret',
  summary: (secretHost) => ({ id: secretHost.host, state: 'written' }),
};
