import type { Knex } from 'knex';
import { FicusError, waitFor, type StackEnv } from '@ficus/common';
import { cdcStatus } from '../pipelines/cdc-status.ts';
import { defaultTopology, type Databases, type Domain } from '../pipelines/pipelines.ts';
import { appliedVersion, readDirections, requestDirections } from './directions-store.ts';
import type { CdcLogin } from '../provision/cdc-login.ts';

export interface CdcSyncControlOptions {
  stack: StackEnv;
  databases: Databases;
  prefix?: string;
  control: Knex;
  /** Who reads the lag's bookkeeping (the migration worker's own user); default root. */
  login?: CdcLogin;
  /** How long setDirections waits for the CDC process to put the directions in place. */
  applyTimeoutMs?: number;
}

/**
 * Lets the migration workflows turn a domain's sync around (the write cutover): writes the
 * requested directions to the control table and waits until the CDC process acknowledges them.
 */
export const createCdcSyncControl = (o: CdcSyncControlOptions) => {
  const prefix = o.prefix ?? 'ficus';
  return {
    async setDirections(domain: Domain, d: { forward: boolean; reverse: boolean }): Promise<void> {
      const version = await requestDirections(o.control, domain, d);
      try {
        await waitFor(async () => (await appliedVersion(o.control, domain)) >= version, { timeoutMs: o.applyTimeoutMs ?? 120_000, intervalMs: 250, what: `the CDC process to apply ${domain} directions` });
      } catch (e) {
        throw new FicusError('CDC_DIRECTIONS_NOT_APPLIED', `${(e as Error).message}: is the CDC process (cdc/src/main.ts) running?`, { retriable: true });
      }
    },
    /** Events not yet applied by one direction of a domain (null when that direction does not run). */
    async lag(domain: Domain, direction: 'forward' | 'reverse'): Promise<{ events: number | null; seconds: number | null }> {
      const { directions } = await readDirections(o.control);
      const topology = defaultTopology(o.databases, prefix, directions);
      const name = direction === 'forward' ? `${prefix}-${domain}-forward` : `${prefix}-legacy-reverse`;
      if (!topology.pipelines.some((p) => p.name === name)) return { events: null, seconds: null };
      const p = (await cdcStatus(topology, o.stack, undefined, o.login)).pipelines.find((x) => x.name === name);
      return { events: p?.consumerLag ?? null, seconds: null };
    },
  };
};
export type CdcSyncControl = ReturnType<typeof createCdcSyncControl>;
