import knexFactory, { type Knex } from 'knex';
import { FicusError } from '../errors/ficus-error.ts';
import { withRootConnection } from '../db/provision-database.ts';
import { mariadbRootConnection, type StackEnv } from '../stack/stack-env.ts';
import { ownershipTables } from './apply-ownership-schema.ts';
import {
  defaultOwnership, holdTransition, releaseTransition, type OwnerSide, type ProxyReport, type TransitionRefusal, type UnitOwnership, type UnitState,
} from './ownership-types.ts';

const refused = (r: TransitionRefusal, unit: string) => new FicusError(r.code, r.message, { status: 409, retriable: r.code === 'OWNERSHIP_SWITCH_IN_PROGRESS', details: { unit } });

/**
 * The one place where write ownership is recorded: a small control database on the stack's MariaDB
 * (`ficus_control` unless `FICUS_OWNERSHIP_DATABASE` says otherwise). The proxy, the CDC process, the
 * migration workflows and the CLI all read it; only the switch (workflows/src/migration/switch/)
 * writes owners.
 */
export const defaultOwnershipDatabase = 'ficus_control';
export const ownershipDatabaseOf = (env: NodeJS.ProcessEnv = process.env) => env.FICUS_OWNERSHIP_DATABASE || defaultOwnershipDatabase;

const unitsTable = 'ownership_units';
const proxiesTable = 'ownership_proxies';
const logTable = 'ownership_log';

interface UnitRow { unit: string; owner: string; state: string; version: number | string; hold_until: Date | null; by_who: string; updated_at: Date }
const toOwnership = (r: UnitRow): UnitOwnership => ({
  unit: r.unit, owner: r.owner as OwnerSide, state: r.state as UnitState, version: Number(r.version),
  holdUntil: r.hold_until ? r.hold_until.getTime() : null, by: r.by_who, updatedAt: r.updated_at.getTime(),
});

export interface OwnershipLogEntry { unit: string; version: number; owner: OwnerSide; state: UnitState; by: string; note: string; at: number }

export const createOwnershipStore = (knex: Knex) => {
  const write = async (trx: Knex.Transaction, next: UnitOwnership, note: string) => {
    await trx(unitsTable).insert({
      unit: next.unit, owner: next.owner, state: next.state, version: next.version,
      hold_until: next.holdUntil === null ? null : new Date(next.holdUntil), by_who: next.by.slice(0, 160), updated_at: new Date(next.updatedAt),
    }).onConflict('unit').merge();
    await trx(logTable).insert({ unit: next.unit, version: next.version, owner: next.owner, state: next.state, by_who: next.by.slice(0, 160), note: note.slice(0, 500), at: new Date(next.updatedAt) });
    return next;
  };
  const locked = async (trx: Knex.Transaction, unit: string) => {
    const row = (await trx(unitsTable).where({ unit }).forUpdate().first()) as UnitRow | undefined;
    return row ? toOwnership(row) : defaultOwnership(unit);
  };

  return {
    knex,
    async all(): Promise<UnitOwnership[]> {
      return ((await knex(unitsTable).select()) as UnitRow[]).map(toOwnership);
    },
    async get(unit: string): Promise<UnitOwnership> {
      const row = (await knex(unitsTable).where({ unit }).first()) as UnitRow | undefined;
      return row ? toOwnership(row) : defaultOwnership(unit);
    },
    /**
     * Starts holding the unit's writes (the first step of a switch). Idempotent for the same
     * `by`: a retried call gets the hold already in place. Refused when the unit is not owned by
     * `from` or another switch holds it.
     */
    hold: (unit: string, from: OwnerSide, holdMs: number, by: string) => knex.transaction(async (trx) => {
      const cur = await locked(trx, unit);
      const next = holdTransition(cur, from, holdMs, by, Date.now());
      if (next === 'unchanged') return cur;
      if ('code' in next) throw refused(next, unit);
      return write(trx, next, `hold writes (${holdMs} ms)`);
    }),
    /** Ends a hold by `by` with `owner` as the owner (the switch done, or reverted). Idempotent. */
    release: (unit: string, owner: OwnerSide, by: string, note: string) => knex.transaction(async (trx) => {
      const cur = await locked(trx, unit);
      const next = releaseTransition(cur, owner, by, Date.now());
      if (next === 'unchanged') return cur;
      if ('code' in next) throw refused(next, unit);
      return write(trx, next, note);
    }),
    async log(unit?: string, limit = 50): Promise<OwnershipLogEntry[]> {
      const q = knex(logTable).orderBy('id', 'desc').limit(limit);
      if (unit) q.where({ unit });
      return ((await q) as Array<{ unit: string; version: number; owner: string; state: string; by_who: string; note: string; at: Date }>)
        .map((r) => ({ unit: r.unit, version: Number(r.version), owner: r.owner as OwnerSide, state: r.state as UnitState, by: r.by_who, note: r.note, at: r.at.getTime() }));
    },
    async report(r: ProxyReport): Promise<void> {
      await knex(proxiesTable).insert({ proxy_id: r.proxyId, seen: JSON.stringify(r.seen), inflight: JSON.stringify(r.inflight), heartbeat_at: new Date(r.heartbeatAt) })
        .onConflict('proxy_id').merge();
    },
    async proxies(): Promise<ProxyReport[]> {
      const rows = (await knex(proxiesTable).select()) as Array<{ proxy_id: string; seen: string; inflight: string; heartbeat_at: Date }>;
      return rows.map((r) => ({ proxyId: r.proxy_id, seen: JSON.parse(r.seen) as Record<string, number>, inflight: JSON.parse(r.inflight) as Record<string, number>, heartbeatAt: r.heartbeat_at.getTime() }));
    },
    async forgetProxy(proxyId: string): Promise<void> { await knex(proxiesTable).where({ proxy_id: proxyId }).delete(); },
  };
};
export type OwnershipStore = ReturnType<typeof createOwnershipStore>;

const notProvisioned = (database: string, missing: readonly string[]) => new FicusError('OWNERSHIP_NOT_PROVISIONED',
  `the write-ownership database ${database} is not provisioned (missing: ${missing.join(', ')}): run the migration worker's provisioning, \`node workflows/src/migration/provision.ts\` (the worker does it at start with FICUS_MIGRATION_PROVISION_ON_START=true, the local default), or \`./ficus ownership status\``,
  { details: { database, missing } });

/** The ownership tables `database` lacks (asked without connecting to it: it may not exist). */
const missingTables = (stack: StackEnv, database: string): Promise<string[]> => withRootConnection(stack, async (admin) => {
  const schemata = (await admin('information_schema.schemata').select({ name: 'schema_name' }).where({ schema_name: database })) as unknown[];
  if (!schemata.length) return [`database ${database}`];
  const rows = (await admin('information_schema.tables').select({ name: 'table_name' }).where({ table_schema: database }).whereIn('table_name', [...ownershipTables])) as Array<{ name: string }>;
  return ownershipTables.filter((t) => !rows.some((r) => r.name === t));
});

/**
 * Checks as root (information_schema) that `database` and its ownership tables exist:
 * `OWNERSHIP_NOT_PROVISIONED` naming what is missing and the provisioning to run otherwise. For
 * provisioning steps that grant on the tables (they cannot grant on a missing one).
 */
export const assertOwnershipProvisioned = async (stack: StackEnv, database: string): Promise<void> => {
  const missing = await missingTables(stack, database);
  if (missing.length) throw notProvisioned(database, missing);
};

/**
 * Opens the ownership database as root (the CLI and test harnesses; deployables open it as their
 * own users); `close` with `store.knex.destroy()`. It creates nothing: a database not provisioned
 * (`provisionOwnership`) is `OWNERSHIP_NOT_PROVISIONED`, naming what to run.
 */
export const openOwnershipStore = async (stack: StackEnv, database = ownershipDatabaseOf()): Promise<OwnershipStore> => {
  await assertOwnershipProvisioned(stack, database);
  return createOwnershipStore(knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack, database), pool: { min: 0, max: 2 } }));
};

export { applyOwnershipSchema, ownershipSchemaDirectory, ownershipSchemaTable, ownershipTables } from './apply-ownership-schema.ts';
export { provisionOwnership } from './provision-ownership.ts';
