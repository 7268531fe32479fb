import { defaultTopology, type Databases, type Grant } from '@ficus/cdc';
import type { MigrationDeclaration } from '../migration-declaration.ts';
import { migrationStateTables } from '../state/apply-state-schema.ts';
import { tablePairs } from '../table-pairs.ts';

const rowWrites = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;
/** Read, insert, upsert (INSERT … ON DUPLICATE KEY UPDATE): the backfill's copy, the directions request, the position tick. */
const upsert = ['SELECT', 'INSERT', 'UPDATE'] as const;
const order = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

/** Every direction on: the switch may turn any domain around, and positions are asked of either side. */
const everyDirection = { catalog: { forward: true, reverse: true }, inventory: { forward: true, reverse: true }, orders: { forward: true, reverse: true } };

export interface MigratorGrantInput {
  /** The worker's MariaDB user, e.g. `ficus_migrator`. */
  user: string;
  /** Its state database (audit log, backfill positions), e.g. `ficus_migrations`. */
  stateDatabase: string;
  /** The migration declarations the worker runs (`loadMigrations`). */
  declarations: ReadonlyArray<Pick<MigrationDeclaration, 'databases' | 'tables' | 'units'>>;
  /**
   * What the write switch and the cutover drive: the CDC's control database and the databases it
   * syncs (quiesce checks name them), and the ownership database. Absent: a worker without sync
   * control, granted nothing there.
   */
  sync?: { control: string; databases: Databases; ownershipDatabase: string };
}

/**
 * The grants the migration worker's MariaDB user needs, and nothing more (decision 0018), one per
 * table with the union of what each use needs:
 * - state database: SELECT/INSERT/UPDATE/DELETE on the audit log and the backfill positions
 *   (a restarted backfill deletes its positions);
 * - per declared table pair: SELECT on the legacy table (parity, the backfill's source), on the
 *   legacy tables the mapping completes rows from (`TableMapping.reads`) and on those a parity
 *   condition reads (`whereReads`); SELECT/INSERT/UPDATE on the service table (parity, the
 *   backfill's upsert; it never deletes);
 * - `BINLOG REPLAY` on `*.*`: the backfill writes as the sync does (`gtid_domain_id`, decision 0004);
 * - with `sync`: SELECT/INSERT/UPDATE on `cdc_directions` (requests directions) and
 *   `cdc_position_ticks` (the position checker's tick), SELECT on `cdc_partition_offsets` of every
 *   database a pipeline writes (has a position been applied?), INSERT on the CDC legacy database's
 *   Debezium signal table (snapshot backfill), SELECT/INSERT/UPDATE on `ownership_units`,
 *   SELECT/INSERT on `ownership_log`, SELECT on `ownership_proxies`, and SELECT on every table a
 *   unit's quiesce check counts.
 * No DDL, no `GRANT`, nothing on tables no declaration names.
 */
export const migratorGrants = (o: MigratorGrantInput): Grant[] => {
  const grants: Grant[] = [];
  const byTable = new Map<string, Grant>();
  const add = (privileges: readonly string[], database: string, table: string) => {
    const key = `${database}.${table}`;
    const had = byTable.get(key);
    if (!had) { const g = { privileges: [...privileges], user: o.user, database, table }; byTable.set(key, g); grants.push(g); return; }
    had.privileges = order.filter((p) => had.privileges.includes(p) || privileges.includes(p));
  };
  for (const table of migrationStateTables) add(rowWrites, o.stateDatabase, table);
  let copies = false;
  for (const d of o.declarations) {
    for (const t of d.tables) {
      const pair = tablePairs[t.mapping];
      if (!pair) continue; // a declaration names known mappings only (validated when loaded)
      add(['SELECT'], d.databases.legacy, pair.legacyTable);
      for (const table of [...(pair.forward(d.databases.legacy).reads ?? []), ...(pair.whereReads?.legacy ?? [])]) add(['SELECT'], d.databases.legacy, table);
      add(upsert, d.databases.service, pair.serviceTable);
      for (const table of pair.whereReads?.service ?? []) add(['SELECT'], d.databases.service, table);
      copies = true;
    }
  }
  if (o.sync) {
    const s = o.sync;
    add(upsert, s.control, 'cdc_directions');
    add(upsert, s.control, 'cdc_position_ticks');
    const topology = defaultTopology(s.databases, 'ficus', everyDirection);
    for (const p of topology.pipelines) add(['SELECT'], p.targetDatabase, 'cdc_partition_offsets');
    const legacyConnector = topology.connectors.find((c) => c.database === s.databases.legacy);
    if (legacyConnector && o.declarations.some((d) => d.databases.legacy === s.databases.legacy)) add(['INSERT'], s.databases.legacy, legacyConnector.signalTable);
    add(upsert, s.ownershipDatabase, 'ownership_units');
    add(['SELECT', 'INSERT'], s.ownershipDatabase, 'ownership_log');
    add(['SELECT'], s.ownershipDatabase, 'ownership_proxies');
    for (const d of o.declarations) {
      for (const u of d.units) {
        for (const q of u.quiesce) {
          const database = s.databases[q.database];
          if (database) add(['SELECT'], database, q.table);
        }
      }
    }
  }
  return copies ? [{ privileges: ['BINLOG REPLAY'], user: o.user }, ...grants] : grants;
};
