import type { Knex } from 'knex';

const counterNames = ['Sort_rows', 'Created_tmp_tables', 'Handler_read_key', 'Handler_read_next', 'Handler_read_prev', 'Handler_read_rnd_next'] as const;
/** MariaDB session counters that show how a statement was executed. */
export type SessionCounter = (typeof counterNames)[number];

const readCounters = async (trx: Knex.Transaction): Promise<Record<SessionCounter, number>> => {
  const [rows] = await trx.raw(`SHOW SESSION STATUS WHERE Variable_name IN (${counterNames.map(() => '?').join(', ')})`, [...counterNames]) as [Array<{ Variable_name: SessionCounter; Value: string }>];
  return Object.fromEntries(rows.map((r) => [r.Variable_name, Number(r.Value)])) as Record<SessionCounter, number>;
};

/**
 * Runs `fn` on one connection (a transaction, rolled back afterwards) and returns its result with
 * how far MariaDB's session counters moved: rows sorted, temporary tables, index and table reads.
 * For tests that pin a query plan (for example "one page is read from an index, nothing is sorted").
 */
export const withSessionCounters = async <T>(knex: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<{ result: T; moved: Record<SessionCounter, number> }> => {
  const trx = await knex.transaction();
  try {
    const before = await readCounters(trx);
    const result = await fn(trx);
    const after = await readCounters(trx);
    const moved = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k as SessionCounter]])) as Record<SessionCounter, number>;
    return { result, moved };
  } finally {
    await trx.rollback();
  }
};
