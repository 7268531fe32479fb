import { performance } from 'node:perf_hooks';
import { createServiceClient, devServiceAuthSecret, listenEphemeral, createTestDatabase } from '@ficus/common';
import { createInventoryApp, migrateInventory } from '@ficus/inventory-service';
process.env.LOG_LEVEL = 'warn';
const db = await createTestDatabase('probe2');
await migrateInventory(db.knex);
const app = await listenEphemeral(createInventoryApp({ reservation: { defaultTtlSeconds: 900, maxTtlSeconds: 3600 }, auth: { secrets: [devServiceAuthSecret] } }, db.knex));
const inv = createServiceClient({ service: 'inventory', baseUrl: app.baseUrl, authSecret: devServiceAuthSecret, timeoutMs: 4000 });
await inv({ method: 'PUT', path: `/internal/stock/1`, body: { onHand: 1000000 } });
const t: Record<string, number[]> = {};
const time = async (name: string, f: () => Promise<unknown>) => { const t0 = performance.now(); await f(); (t[name] ??= []).push(performance.now() - t0); };
for (let i = 0; i < 200; i++) {
  await time('health', () => fetch(app.baseUrl + '/health'));
  await time('knex select 1', () => db.knex.raw('select 1'));
  await time('knex trx select', () => db.knex.transaction(async (trx) => { await trx.raw('select 1'); }));
  await time('reserve', () => inv({ method: 'PUT', path: `/internal/reservations/k${i}`, body: { items: [{ productId: 1, quantity: 1 }], ttlSeconds: 900, reference: 'x' } }));
}
for (const [k, v] of Object.entries(t)) { v.sort((a, b) => a - b); console.log(k.padEnd(24), 'p50', v[Math.floor(v.length / 2)]!.toFixed(2), 'p90', v[Math.floor(v.length * 0.9)]!.toFixed(2)); }
await app.close(); await db.drop(); await db.knex.destroy().catch(() => {});
