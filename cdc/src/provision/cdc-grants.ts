import { defaultTopology, type Databases } from '../pipelines/pipelines.ts';

/** One GRANT: `privileges` on `database.table` (`*.*` when both are absent) to `user`@`%`. */
export interface Grant { privileges: readonly string[]; user: string; database?: string; table?: string }

const rowWrites = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;
/** What the applier does to its bookkeeping: read, insert, upsert (INSERT … ON DUPLICATE KEY UPDATE). */
const bookkeeping = ['SELECT', 'INSERT', 'UPDATE'] as const;
const cdcBookkeepingTables = ['cdc_row_versions', 'cdc_partition_offsets'] as const;

/** Every direction on: the CDC user is granted what any topology the workflows may ask for needs. */
const everyDirection = { catalog: { forward: true, reverse: true }, inventory: { forward: true, reverse: true }, orders: { forward: true, reverse: true } };

/**
 * The grants the CDC's MariaDB user needs, and nothing more (decision 0018):
 * - `BINLOG REPLAY` on `*.*`: the only privilege besides SUPER that lets a session set
 *   `gtid_domain_id` (the sync writer marks its writes with it, decision 0004);
 * - on each target database, SELECT/INSERT/UPDATE/DELETE on the tables it applies into and
 *   SELECT/INSERT/UPDATE on its bookkeeping tables;
 * - SELECT on the source tables a mapping completes rows from (`TableMapping.reads`);
 * - in the control database, SELECT/UPDATE on `cdc_directions` (it reads the requested directions
 *   and acknowledges them) and SELECT/INSERT/UPDATE on `cdc_position_ticks`.
 * Debezium's user gets INSERT/UPDATE/DELETE on each source's signal table (incremental snapshots).
 */
export const cdcGrants = (o: { user: string; debeziumUser: string; databases: Databases; control: string }): Grant[] => {
  const topology = defaultTopology(o.databases, 'ficus', everyDirection);
  const grants: Grant[] = [{ privileges: ['BINLOG REPLAY'], user: o.user }];
  const byTable = new Map<string, Grant>();
  // one grant per table, the union of what each use needs (legacy.products is read by a mapping and written by the reverse pipeline)
  const add = (g: Grant) => {
    const key = `${g.user} ${g.database}.${g.table}`;
    const had = byTable.get(key);
    if (!had) { const copy = { ...g, privileges: [...g.privileges] }; byTable.set(key, copy); grants.push(copy); return; }
    had.privileges = rowWrites.filter((p) => had.privileges.includes(p) || g.privileges.includes(p));
  };
  for (const p of topology.pipelines) {
    for (const { mapping: m } of p.streams) {
      add({ privileges: rowWrites, user: o.user, database: p.targetDatabase, table: m.targetTable });
      const sourceDb = m.sourceTable.split('.')[0]!;
      for (const table of m.reads ?? []) add({ privileges: ['SELECT'], user: o.user, database: sourceDb, table });
    }
    for (const table of cdcBookkeepingTables) add({ privileges: bookkeeping, user: o.user, database: p.targetDatabase, table });
  }
  for (const c of topology.connectors) add({ privileges: ['INSERT', 'UPDATE', 'DELETE'], user: o.debeziumUser, database: c.database, table: c.signalTable });
  add({ privileges: ['SELECT', 'UPDATE'], user: o.user, database: o.control, table: 'cdc_directions' });
  add({ privileges: bookkeeping, user: o.user, database: o.control, table: 'cdc_position_ticks' });
  return grants;
};

/** The databases the CDC syncs (each gets the bookkeeping schema). */
export const syncedDatabases = (databases: Databases): string[] =>
  [...new Set([databases.legacy, databases.catalog, databases.inventory, ...(databases.orders ? [databases.orders] : [])])];
