import type { Knex } from 'knex';

/** One audit line: every step and decision of a migration. */
export interface AuditEntry {
  migration: string;
  /** Temporal run id (one run of the migration). */
  runId: string;
  /** Position in the run's log: (runId, seq) is unique, so a retried append writes once. */
  seq: number;
  at: string;
  step: string;
  kind: 'step' | 'gate' | 'decision' | 'signal' | 'wait' | 'rollback' | 'done' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

export interface BackfillPosition {
  migration: string;
  table: string;
  method: 'copy' | 'snapshot';
  /** Last key copied (copy), or null before the first chunk. */
  position: number | null;
  rowsCopied: number;
  done: boolean;
  /** Debezium signal id of a requested snapshot (so a resumed backfill does not ask twice). */
  signalId: string | null;
}

/** Where migrations keep what must survive a crash: backfill positions and the audit log. */
export interface MigrationStateStore {
  appendAudit(e: AuditEntry): Promise<void>;
  audit(migration: string, o?: { runId?: string; limit?: number }): Promise<AuditEntry[]>;
  backfill(migration: string, table: string): Promise<BackfillPosition | undefined>;
  saveBackfill(p: BackfillPosition): Promise<void>;
  resetBackfill(migration: string): Promise<void>;
}

/**
 * The store on `knex` (the worker's own user on the state database). Its tables come from the
 * state schema (state/schema/, applied by provisionMigrator as root), never from here.
 */
export const createKnexMigrationStateStore = (knex: Knex): MigrationStateStore => ({
  async appendAudit(e) {
    await knex('ficus_migration_audit').insert({
      run_id: e.runId, seq: e.seq, migration: e.migration, at: new Date(e.at), step: e.step, kind: e.kind, message: e.message, data: e.data ? JSON.stringify(e.data) : null,
    }).onConflict(['run_id', 'seq']).ignore();
  },
  async audit(migration, o = {}) {
    const q = knex('ficus_migration_audit').where({ migration }).orderBy([{ column: 'at', order: 'desc' }, { column: 'seq', order: 'desc' }]).limit(o.limit ?? 1000);
    if (o.runId) q.andWhere({ run_id: o.runId });
    const rows = (await q) as Array<{ run_id: string; seq: number; migration: string; at: Date; step: string; kind: AuditEntry['kind']; message: string; data: string | null }>;
    return rows.reverse().map((r) => ({
      migration: r.migration, runId: r.run_id, seq: r.seq, at: new Date(r.at).toISOString(), step: r.step, kind: r.kind, message: r.message,
      ...(r.data ? { data: JSON.parse(r.data) as Record<string, unknown> } : {}),
    }));
  },
  async backfill(migration, table) {
    const r = (await knex('ficus_migration_backfill').where({ migration, table_name: table }).first()) as
      { method: 'copy' | 'snapshot'; position: number | string | null; rows_copied: number | string; done: number | boolean; signal_id: string | null } | undefined;
    return r && { migration, table, method: r.method, position: r.position === null ? null : Number(r.position), rowsCopied: Number(r.rows_copied), done: Boolean(r.done), signalId: r.signal_id };
  },
  async saveBackfill(p) {
    await knex('ficus_migration_backfill').insert({
      migration: p.migration, table_name: p.table, method: p.method, position: p.position, rows_copied: p.rowsCopied, done: p.done, signal_id: p.signalId, updated_at: new Date(),
    }).onConflict(['migration', 'table_name']).merge();
  },
  async resetBackfill(migration) { await knex('ficus_migration_backfill').where({ migration }).delete(); },
});

export const createFakeMigrationStateStore = (): MigrationStateStore & { entries: AuditEntry[] } => {
  const entries: AuditEntry[] = [];
  const positions = new Map<string, BackfillPosition>();
  return {
    entries,
    async appendAudit(e) { if (!entries.some((x) => x.runId === e.runId && x.seq === e.seq)) entries.push(e); },
    async audit(migration, o = {}) { return entries.filter((e) => e.migration === migration && (!o.runId || e.runId === o.runId)).slice(-(o.limit ?? 1000)); },
    async backfill(m, t) { return positions.get(`${m}/${t}`); },
    async saveBackfill(p) { positions.set(`${p.migration}/${p.table}`, { ...p }); },
    async resetBackfill(m) { for (const k of [...positions.keys()]) if (k.startsWith(`${m}/`)) positions.delete(k); },
  };
};
