import type { Knex } from 'knex';
import type { ParityColumn, TablePairSpec } from '../table-pairs.ts';
import type { ParitySide } from './parity-side-type.ts';

/**
 * One side of a table pair on MariaDB/MySQL. Every hash is computed in SQL over the normalised
 * mapped columns joined with the unit separator: a row hash is CRC32 ‖ CRC32C of that string (64
 * bits), a chunk hash the XOR of its rows' hashes (order-independent; keys are unique, so rows
 * cannot cancel out), so only counts and hashes cross the wire until a chunk differs.
 */
export const createKnexParitySide = (knex: Knex, database: string, table: string, key: string, columns: ParityColumn[], side: 'legacy' | 'service', where?: string): ParitySide => {
  // a filtered side reads a derived table: the same SQL then sees only the rows that compare
  const t = where ? `(SELECT * FROM \`${database}\`.\`${table}\` WHERE ${where}) AS filtered` : `\`${database}\`.\`${table}\``;
  const k = `\`${key}\``;
  const row = `CONCAT_WS(CHAR(31), ${columns.map((c) => c[side]).join(', ')})`;
  const rowHash = `((CRC32(${row}) << 32) | CRC32C(${row}))`;
  const hex = (v: unknown) => BigInt(String(v ?? 0)).toString(16);
  return {
    async bounds() {
      const [rows] = await knex.raw(`SELECT MIN(${k}) AS mn, MAX(${k}) AS mx, COUNT(*) AS n FROM ${t}`);
      const r = (rows as Array<{ mn: unknown; mx: unknown; n: unknown }>)[0]!;
      return r.mn === null ? null : { min: Number(r.mn), max: Number(r.mx), count: Number(r.n) };
    },
    async chunk(lo, hi) {
      const [rows] = await knex.raw(`SELECT COUNT(*) AS n, CAST(COALESCE(BIT_XOR(${rowHash}), 0) AS CHAR) AS h FROM ${t} WHERE ${k} >= ? AND ${k} < ?`, [lo, hi]);
      const r = (rows as Array<{ n: unknown; h: unknown }>)[0]!;
      return { count: Number(r.n), hash: hex(r.h) };
    },
    async rowHashes(lo, hi) {
      const [rows] = await knex.raw(`SELECT ${k} AS k, CAST(${rowHash} AS CHAR) AS h FROM ${t} WHERE ${k} >= ? AND ${k} < ? ORDER BY ${k}`, [lo, hi]);
      return (rows as Array<{ k: unknown; h: unknown }>).map((r) => ({ key: Number(r.k), hash: hex(r.h) }));
    },
    async rows(keys) {
      if (!keys.length) return new Map();
      const select = columns.map((c) => `${c[side]} AS \`${c.name}\``).join(', ');
      const [rows] = await knex.raw(`SELECT ${k} AS __k, ${select} FROM ${t} WHERE ${k} IN (${keys.map(() => '?').join(',')})`, keys);
      return new Map((rows as Array<Record<string, unknown>>).map((r) => {
        const { __k, ...rest } = r;
        return [Number(__k), Object.fromEntries(Object.entries(rest).map(([c, v]) => [c, v === null ? null : String(v)]))] as const;
      }));
    },
  };
};

/** Both sides of a configured table pair (legacy and service may live on different servers). */
export const knexParitySides = (knex: { legacy: Knex; service: Knex }, pair: TablePairSpec, databases: { legacy: string; service: string }) => ({
  legacy: createKnexParitySide(knex.legacy, databases.legacy, pair.legacyTable, pair.legacyKey, pair.columns, 'legacy', pair.legacyWhere?.(databases.legacy)),
  service: createKnexParitySide(knex.service, databases.service, pair.serviceTable, pair.serviceKey, pair.columns, 'service', pair.serviceWhere?.(databases.service)),
});
