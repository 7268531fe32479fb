// What the backfill activity reports while it runs (its heartbeat) and at the end, and how a retried
// attempt reads the last heartbeat. Pure: shared by the activity, the workflow, the client and the CLI.
import type { MigrationDeclaration } from '../migration-declaration.ts';
import type { BackfillTableResult } from './run-backfill.ts';

export type BackfillMethod = 'auto' | 'snapshot' | 'copy';

/** Input of the `migrationBackfill` workflow and of its `runBackfill` activity. */
export interface BackfillInput {
  config: MigrationDeclaration;
  /** `auto`: an incremental snapshot where the running legacy connector captures the table, else a copy. */
  method: BackfillMethod;
  /** Forget the stored positions and start over (done once: a retried attempt continues). */
  restart?: boolean;
  /** Rows per copied chunk (default 2,000). */
  batchRows?: number;
  startedBy?: string;
}

/** The heartbeat: rows copied per table so far. */
export interface BackfillProgress { tables: BackfillTableResult[] }

export interface BackfillResult { migration: string; done: boolean; tables: BackfillTableResult[] }

const isTable = (t: unknown): t is BackfillTableResult => {
  const x = t as Partial<BackfillTableResult> | null;
  return !!x && typeof x.table === 'string' && typeof x.rowsCopied === 'number' && typeof x.sourceRows === 'number' && typeof x.done === 'boolean';
};

/** The last heartbeat of an earlier attempt, if it is one (anything else is ignored). */
export const progressFromHeartbeat = (details: unknown): BackfillProgress | undefined => {
  const tables = (details as { tables?: unknown } | null | undefined)?.tables;
  return Array.isArray(tables) && tables.every(isTable) ? { tables } : undefined;
};

/**
 * Where an attempt starts. The copy position itself is in the state store; the heartbeat says that
 * an earlier attempt already ran (so `restart` has been done and must not wipe its work again).
 */
export const startingPoint = (input: Pick<BackfillInput, 'restart'>, heartbeat: unknown): { reset: boolean; progress: BackfillProgress } => {
  const earlier = progressFromHeartbeat(heartbeat);
  return earlier ? { reset: false, progress: earlier } : { reset: input.restart === true, progress: { tables: [] } };
};

/** The progress with one table's latest numbers (in the order tables were first seen). */
export const withTable = (p: BackfillProgress, t: BackfillTableResult): BackfillProgress => {
  const i = p.tables.findIndex((x) => x.table === t.table);
  return { tables: i < 0 ? [...p.tables, t] : p.tables.map((x, j) => (j === i ? t : x)) };
};

/** Done when every table of the migration is. */
export const backfillResult = (config: Pick<MigrationDeclaration, 'name' | 'tables'>, tables: BackfillTableResult[]): BackfillResult =>
  ({ migration: config.name, done: tables.length === config.tables.length && tables.every((t) => t.done), tables });

/** One line: `categories 8/8 done (copy); products 2,000/6,000 (copy)`. */
export const describeProgress = (tables: readonly BackfillTableResult[]): string =>
  tables.length
    ? tables.map((t) => `${t.table} ${t.rowsCopied.toLocaleString('en')}/${t.sourceRows.toLocaleString('en')}${t.done ? ' done' : ''} (${t.method})`).join('; ')
    : 'no table started yet';
