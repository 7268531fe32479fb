/** One GRANT of row rights on `database.table` to `user`@`%`. */
export interface LegacyGrant { privileges: readonly string[]; user: string; database: string; table: string }

/** Tables in the legacy database that are not the monolith's: the schema history (provisioning's) and the CDC's bookkeeping and signal tables (decision 0018). */
const notTheMonoliths = (table: string) => table === 'knex_migrations' || table === 'knex_migrations_lock' || table.startsWith('cdc_');

/**
 * The grants the monolith's MariaDB user needs (decision 0018): SELECT, INSERT, UPDATE, DELETE on
 * each of its own tables in the legacy database (`tables`: what the database holds once its schema
 * is applied), and nothing else: no DDL (the schema is applied by provisioning), no schema history,
 * no CDC table, nothing in another database.
 */
export const legacyGrants = (o: { user: string; database: string; tables: readonly string[] }): LegacyGrant[] =>
  [...new Set(o.tables)].filter((t) => !notTheMonoliths(t)).sort()
    .map((table) => ({ privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], user: o.user, database: o.database, table }));
