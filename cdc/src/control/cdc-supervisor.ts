import type { Knex } from 'knex';
import type { Logger, StackEnv } from '@ficus/common';
import { createCdcMetrics, type CdcMetrics } from '../apply/cdc-metrics.ts';
import { connectAll, startPipelines, type DebeziumCredentials } from '../pipelines/cdc-runtime.ts';
import { defaultTopology, type CdcTopology, type Databases } from '../pipelines/pipelines.ts';
import { markApplied, readDirections } from './directions-store.ts';
import type { CdcLogin } from '../provision/cdc-login.ts';

export interface SupervisorOptions {
  stack: StackEnv;
  databases: Databases;
  prefix?: string;
  serverIdBase?: number;
  debezium: DebeziumCredentials;
  /** The appliers' own MariaDB user. */
  login: CdcLogin;
  /** The control database holding the requested directions. */
  control: Knex;
  log: Logger;
  pollMs?: number;
  metrics?: CdcMetrics;
}

/**
 * Runs the appliers the requested directions call for, and follows changes to them: on a change
 * it makes sure the connectors exist, stops the appliers and starts the new set (each resumes
 * from the offsets stored in its target), then acknowledges the requested version. While both
 * directions run, each side drops the other's echoes (decision 0004).
 */
export const startSupervisedPipelines = async (o: SupervisorOptions) => {
  const metrics = o.metrics ?? createCdcMetrics();
  let current: { key: string; topology: CdcTopology; stop: () => Promise<void> } | undefined;
  let busy = false;
  let stopped = false;

  const reconcile = async () => {
    const { directions, versions, pending } = await readDirections(o.control);
    const key = JSON.stringify(directions);
    if (!current || current.key !== key) {
      const topology = defaultTopology(o.databases, o.prefix, directions, o.serverIdBase);
      await connectAll(topology, o.stack, o.debezium, o.log);
      if (current) await current.stop();
      current = undefined;
      const running = await startPipelines(topology, o.stack, o.login, o.log, metrics);
      current = { key, topology, stop: running.stop };
      o.log.info({ directions }, 'cdc directions in place');
    }
    if (pending) await markApplied(o.control, versions);
  };

  await reconcile(); // a failure at start stops the start, with its reason
  const timer = setInterval(() => {
    if (busy || stopped) return;
    busy = true;
    reconcile().catch((e: unknown) => o.log.error({ err: e }, 'could not put the requested cdc directions in place; trying again'))
      .finally(() => { busy = false; });
  }, o.pollMs ?? 1000);

  return {
    metrics,
    /** The connectors and pipelines running now (they change with the directions). */
    topology: (): CdcTopology => current?.topology ?? { connectors: [], pipelines: [] },
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      while (busy) await new Promise((r) => setTimeout(r, 50));
      await current?.stop();
    },
  };
};
