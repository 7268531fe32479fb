import path from 'node:path';
import type { Knex } from 'knex';
import pRetry from 'p-retry';

/** The ownership database's own schema history (decision 0019: knex's words, our folder). */
export const ownershipSchemaTable = 'ownership_knex_migrations';
export const ownershipSchemaDirectory = path.resolve(import.meta.dirname, 'schema');
/** The tables the ownership store reads and writes (checked when it opens, granted to the migration worker). */
export const ownershipTables = ['ownership_units', 'ownership_log', 'ownership_proxies'] as const;

const schemaConfig = { directory: ownershipSchemaDirectory, loadExtensions: ['.ts'], tableName: ownershipSchemaTable };

/** knex's refusal while another process holds its migration lock (its `LockError`). */
export const isSchemaLocked = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'MigrationLocked';

/**
 * Brings the ownership database to the latest schema; `knex` is an admin connection to it (no
 * deployable's own user may create tables). Several provisioners may run at once: nothing pending
 * means nothing is locked, and a run refused by knex's lock looks again after a pause (the other
 * run has usually applied the files by then). Returns the schema files it ran.
 */
export const applyOwnershipSchema = (knex: Knex, o: { attempts?: number } = {}): Promise<string[]> =>
  pRetry(async () => {
    const [, pending] = (await knex.migrate.list(schemaConfig)) as [unknown[], unknown[]];
    if (!pending.length) return [];
    const [, ran] = (await knex.migrate.latest(schemaConfig)) as [number, string[]];
    return ran;
  }, {
    retries: Math.max(0, (o.attempts ?? 20) - 1), minTimeout: 100, maxTimeout: 1_000, factor: 2, randomize: true,
    shouldRetry: ({ error }) => isSchemaLocked(error),
  });
