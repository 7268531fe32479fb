import type { Knex } from 'knex';
import type { QuiesceCheck } from './switch-ownership.ts';

/**
 * Counts the rows of each quiesce check (work still running on a side) in the real databases; the
 * check's database is a logical name (`orders` → the CDC's orders database).
 */
export const createQuiesceCheck = (knex: Knex, databases: Readonly<Partial<Record<QuiesceCheck['database'], string>>>) =>
  async (checks: readonly QuiesceCheck[]): Promise<string[]> => {
    const left: string[] = [];
    for (const c of checks) {
      const db = databases[c.database];
      if (!db) { left.push(`${c.what}: no ${c.database} database configured`); continue; }
      // the condition comes from the migration declaration (validated: one condition, no ";" or comments)
      const [rows] = (await knex.raw(`SELECT COUNT(*) AS n FROM ??.?? WHERE ${c.where}`, [db, c.table])) as [Array<{ n: number | string }>];
      const n = Number(rows[0]?.n ?? 0);
      if (n > 0) left.push(`${n} × ${c.what} (${db}.${c.table} where ${c.where})`);
    }
    return left;
  };
