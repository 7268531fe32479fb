import { createRequire } from 'node:module';
import { InvalidArgumentError, type Command } from 'commander';
import knexFactory from 'knex';
import { mariadbRootConnection, readStackEnv } from '@ficus/common';
import { seedLegacy, seedProfiles, type SeedProfileName, type SeedProgress } from '@ficus/legacy-monolith';

/** The slice of cli-progress used here (the package ships no types). */
interface ProgressBar {
  start(total: number, value: number, payload?: Record<string, unknown>): void;
  update(value: number, payload?: Record<string, unknown>): void;
  setTotal(total: number): void;
  stop(): void;
}
interface CliProgress {
  SingleBar: new (options: Record<string, unknown>, preset: unknown) => ProgressBar;
  Presets: { shades_classic: unknown };
}

const profileArg = (v: string): SeedProfileName => {
  if (v in seedProfiles) return v as SeedProfileName;
  throw new InvalidArgumentError(`expected one of ${Object.keys(seedProfiles).join(', ')}`);
};
const seedArg = (v: string): number => {
  if (!/^\d{1,9}$/.test(v)) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(v);
};
const databaseArg = (v: string): string => {
  if (!/^[A-Za-z0-9_]{1,64}$/.test(v)) throw new InvalidArgumentError('expected a MariaDB database name (letters, digits, _)');
  return v;
};

const createBar = (): { onProgress: (p: SeedProgress) => void; stop: () => void } => {
  if (!process.stderr.isTTY) return { onProgress: () => undefined, stop: () => undefined };
  const { SingleBar, Presets } = createRequire(import.meta.url)('cli-progress') as CliProgress;
  const bar = new SingleBar({
    format: 'seeding [{bar}] {percentage}% | {value}/{total} rows | {table} | {rate} rows/s',
    stream: process.stderr, hideCursor: true,
  }, Presets.shades_classic);
  let started = false;
  return {
    onProgress: (p) => {
      const payload = { table: p.table, rate: Math.round(p.rows / Math.max(p.elapsedMs / 1000, 0.001)) };
      if (!started) { bar.start(p.estimatedTotalRows, p.rows, payload); started = true; return; }
      bar.setTotal(p.estimatedTotalRows);
      bar.update(p.rows, payload);
    },
    stop: () => { if (started) bar.stop(); },
  };
};

/** `ficus seed`: fills the legacy database with deterministic, realistic data. */
export const registerSeed = (program: Command): void => {
  program.command('seed')
    .description('apply the schema to and fill the legacy monolith database with deterministic demo data (replaces what is there)')
    .option('--profile <name>', 'small (demo, ~30k rows) or large (120k products, 1M orders, ~5.5M rows)', profileArg, 'small' as SeedProfileName)
    .option('--seed <n>', 'same seed, same data', seedArg, 1)
    .option('--database <name>', 'MariaDB database to fill (created when missing)', databaseArg, 'legacy')
    .action(async (opts: { profile: SeedProfileName; seed: number; database: string }) => {
      const stack = readStackEnv();
      const admin = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack) });
      try {
        await admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [opts.database]);
      } finally {
        await admin.destroy();
      }
      const knex = knexFactory({ client: 'mysql2', connection: { ...mariadbRootConnection(stack, opts.database), timezone: 'Z' }, pool: { min: 0, max: 4 } });
      const bar = createBar();
      try {
        const result = await seedLegacy(knex, { profile: opts.profile, seed: opts.seed, onProgress: bar.onProgress });
        bar.stop();
        for (const [table, n] of Object.entries(result.rows)) console.log(`  ${table.padEnd(16)} ${n.toLocaleString('en-US').padStart(12)}`);
        console.log(`seeded ${opts.database} (profile ${opts.profile}, seed ${opts.seed}): ${result.totalRows.toLocaleString('en-US')} rows, `
          + `loaded in ${(result.loadMs / 1000).toFixed(1)} s = ${result.rowsPerSecond.toLocaleString('en-US')} rows/s (${(result.elapsedMs / 1000).toFixed(1)} s with the schema)`);
      } finally {
        bar.stop();
        await knex.destroy();
      }
    });
};
