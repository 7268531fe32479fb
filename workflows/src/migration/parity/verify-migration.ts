import type { Knex } from 'knex';
import type { MigrationDeclaration } from '../migration-declaration.ts';
import { tablePairs } from '../table-pairs.ts';
import { knexParitySides } from './knex-parity-side.ts';
import { verifyParity, type ParityResult, type VerifyOptions } from './verify-parity.ts';

export interface MigrationParity {
  migration: string;
  clean: boolean;
  differencesTotal: number;
  rowsCompared: number;
  elapsedMs: number;
  rowsPerSecond: number;
  tables: ParityResult[];
}

/** Verifies every table pair of a migration (one after another; each table's chunks in parallel). */
export const verifyMigrationParity = async (
  config: Pick<MigrationDeclaration, 'name' | 'tables' | 'databases'>, knex: { legacy: Knex; service: Knex },
  o: VerifyOptions & { only?: string; onTable?: (table: string) => void } = {},
): Promise<MigrationParity> => {
  const started = Date.now();
  const tables: ParityResult[] = [];
  for (const t of config.tables) {
    if (o.only && o.only !== t.legacy && o.only !== t.service) continue;
    const pair = tablePairs[t.mapping]!;
    o.onTable?.(t.legacy);
    const sides = knexParitySides(knex, pair, config.databases);
    tables.push(await verifyParity(`${t.legacy} → ${t.service}`, sides.legacy, sides.service, o));
  }
  const elapsedMs = Math.max(1, Date.now() - started);
  const rowsCompared = tables.reduce((n, t) => n + t.rowsCompared, 0);
  return {
    migration: config.name, clean: tables.every((t) => t.clean), differencesTotal: tables.reduce((n, t) => n + t.differencesTotal, 0),
    rowsCompared, elapsedMs, rowsPerSecond: Math.round(rowsCompared / (elapsedMs / 1000)), tables,
  };
};
