// Parity verification speed: a seeded legacy catalog (120,000 products by default, the `large`
// profile's count) backfilled to a catalog test database on the local MariaDB (loopback), then
// verified clean and with a few differences. Prints rows/s. Bounded: one run each, databases dropped.
//   node bench/parity-bench.ts [--products N]
import { runBackfill, verifyMigrationParity } from '@ficus/workflows';
import { catalogMigrationDeclaration, createMigrationDatabases } from '@ficus/workflows/testing';

const arg = process.argv.indexOf('--products');
const products = arg > 0 ? Number(process.argv[arg + 1]) : 120_000;
const t0 = Date.now();
const dbs = await createMigrationDatabases('bench', products);
try {
  console.log(`seeded ${products} products in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const config = catalogMigrationDeclaration('parity-bench', { legacy: dbs.names.legacy, service: dbs.names.service });
  const b0 = Date.now();
  await runBackfill(config, dbs, { batchRows: 5_000 });
  console.log(`backfill (chunked copy through the mapping): ${products} rows in ${((Date.now() - b0) / 1000).toFixed(1)} s`);
  for (const run of [1, 2, 3]) {
    const r = await verifyMigrationParity(config, dbs);
    console.log(`verify clean, run ${run}: ${r.rowsCompared} rows in ${r.elapsedMs} ms = ${r.rowsPerSecond.toLocaleString('en')} rows/s (clean: ${r.clean})`);
  }
  const ids = (await dbs.legacy('products').orderBy('id').pluck('id')) as number[];
  for (const i of [10, ids.length >> 1, ids.length - 5]) await dbs.serviceWriter('products').where({ id: ids[i] }).update({ price_cents: 1 });
  await dbs.serviceWriter('products').where({ id: ids[1_000] }).delete();
  const r = await verifyMigrationParity(config, dbs);
  console.log(`verify with 4 differences: ${r.rowsCompared} rows in ${r.elapsedMs} ms = ${r.rowsPerSecond.toLocaleString('en')} rows/s, found ${r.differencesTotal}`);
  console.log(`load average: ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} finally {
  await dbs.drop();
}
