import knexFactory, { type Knex } from 'knex';
import { FicusError, knexLog, type StackEnv } from '@ficus/common';
import { cdcConnection, type CdcLogin } from '../provision/cdc-login.ts';
import type { Directions, Domain } from '../pipelines/pipelines.ts';
import { forwardOnly } from '../pipelines/pipelines.ts';

/**
 * Which way each domain syncs, as the migration workflows ask for it (`requested`) and as the CDC
 * process last put it in place (`applied`). One row per domain in the `ficus_cdc` control database
 * (created by the CDC's control schema files, provision/schema/control).
 */
export const directionsTable = 'cdc_directions';

interface Row { domain: string; forward: number | boolean; reverse: number | boolean; requested_version: number | string; applied_version: number | string }

/** The requested directions (defaults: forward only) and whether every row is applied. */
export const readDirections = async (knex: Knex): Promise<{ directions: Directions; versions: Record<string, number>; pending: boolean }> => {
  const rows = (await knex(directionsTable).select()) as Row[];
  const directions: Directions = { catalog: { ...forwardOnly.catalog }, inventory: { ...forwardOnly.inventory }, orders: { ...forwardOnly.orders! } };
  const versions: Record<string, number> = {};
  let pending = false;
  for (const r of rows) {
    if (r.domain !== 'catalog' && r.domain !== 'inventory' && r.domain !== 'orders') continue;
    directions[r.domain] = { forward: Boolean(r.forward), reverse: Boolean(r.reverse) };
    versions[r.domain] = Number(r.requested_version);
    if (Number(r.applied_version) < Number(r.requested_version)) pending = true;
  }
  return { directions, versions, pending };
};

/** Asks for new directions; returns the version the CDC process must acknowledge. */
export const requestDirections = async (knex: Knex, domain: Domain, d: { forward: boolean; reverse: boolean }): Promise<number> =>
  knex.transaction(async (trx) => {
    const row = (await trx(directionsTable).where({ domain }).forUpdate().first()) as Row | undefined;
    const version = row ? Number(row.requested_version) + 1 : 1;
    await trx(directionsTable).insert({ domain, forward: d.forward, reverse: d.reverse, requested_version: version, applied_version: row ? Number(row.applied_version) : -1, updated_at: new Date() })
      .onConflict('domain').merge(['forward', 'reverse', 'requested_version', 'updated_at']);
    return version;
  });

export const markApplied = async (knex: Knex, versions: Record<string, number>): Promise<void> => {
  for (const [domain, v] of Object.entries(versions)) await knex(directionsTable).where({ domain }).update({ applied_version: v });
};

export const appliedVersion = async (knex: Knex, domain: Domain): Promise<number> =>
  Number(((await knex(directionsTable).where({ domain }).first('applied_version')) as { applied_version?: number } | undefined)?.applied_version ?? -1);

/**
 * The control database (`ficus_cdc` by default) on the stack's MariaDB, as `login`. Its tables come
 * from the CDC's provisioning (provisionCdc); CDC_NOT_PROVISIONED when they are missing or not granted.
 */
export const openCdcControl = async (stack: StackEnv, login: CdcLogin, database = 'ficus_cdc'): Promise<Knex> => {
  const knex = knexFactory({ client: 'mysql2', connection: cdcConnection(stack, login, database), pool: { min: 0, max: 2 }, log: knexLog });
  let problem: string | undefined;
  try {
    if (!(await knex.schema.hasTable(directionsTable))) problem = `${database}.${directionsTable} does not exist or is not granted to ${login.user}`;
  } catch (e) {
    problem = `${login.user} may not use ${database}: ${(e as Error).message}`;
  }
  if (problem) {
    await knex.destroy();
    throw new FicusError('CDC_NOT_PROVISIONED', `the CDC control database: ${problem}; provision the CDC (\`node cdc/src/provision.ts\`, or start it with CDC_PROVISION_ON_START=true)`);
  }
  return knex;
};
