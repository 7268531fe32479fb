import type { Knex } from 'knex';
import { appError } from '../errors.ts';

/** What an operator runs when the monolith's user lacks its database, a table or a grant. */
export const legacyProvisionHint = 'provision the monolith as root (`node legacy-monolith/src/provision.ts`, or start it with LEGACY_PROVISION_ON_START=true)';

/**
 * Checks at start that the monolith's own user may use its tables (they come from provisioning,
 * not from the monolith); NOT_READY naming the user, the database and what to run otherwise.
 */
export const assertLegacyProvisioned = async (knex: Knex, o: { user: string; database: string }): Promise<void> => {
  let problem: string | undefined;
  try {
    // tables of the first and the last schema files: a user granted them was provisioned
    for (const table of ['users', 'products', 'orders']) {
      if (!(await knex.schema.hasTable(table))) { problem = `${o.database}.${table} does not exist or is not granted to ${o.user}`; break; }
    }
  } catch (e) {
    problem = `${o.user} may not use ${o.database}: ${(e as { sqlMessage?: string }).sqlMessage ?? (e as Error).message}`;
  }
  if (problem) {
    await knex.destroy();
    throw appError('NOT_READY', `the legacy database: ${problem}; ${legacyProvisionHint}`);
  }
};
