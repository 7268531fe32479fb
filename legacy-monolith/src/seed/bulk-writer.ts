import type { Knex } from 'knex';

/**
 * Buffers row literals per table and writes them as multi-row INSERTs. One INSERT is in flight
 * while the caller generates the next rows, so Node and MariaDB work at the same time.
 */
export const createBulkWriter = (db: Knex | Knex.Transaction, batchRows: number, onWritten: (table: string, rows: number) => void) => {
  const buffers = new Map<string, { columns: string; rows: string[] }>();
  let inFlight: Promise<unknown> = Promise.resolve();

  const flushTable = async (table: string) => {
    const b = buffers.get(table);
    if (!b || b.rows.length === 0) return;
    const rows = b.rows;
    b.rows = [];
    const sql = `INSERT INTO \`${table}\` (${b.columns}) VALUES ${rows.join(',')}`;
    await inFlight;
    inFlight = db.raw(sql).then(() => onWritten(table, rows.length));
  };

  return {
    async add(table: string, columns: readonly string[], row: string) {
      let b = buffers.get(table);
      if (!b) buffers.set(table, (b = { columns: columns.map((c) => `\`${c}\``).join(','), rows: [] }));
      b.rows.push(row);
      if (b.rows.length >= batchRows) await flushTable(table);
    },
    /** Writes everything buffered, in the order tables were first added (parents before children). */
    async flush() {
      for (const table of buffers.keys()) await flushTable(table);
      await inFlight;
    },
  };
};

export type BulkWriter = ReturnType<typeof createBulkWriter>;
