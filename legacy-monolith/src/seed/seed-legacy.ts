import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { applyLegacySchema } from '../db/apply-legacy-schema.ts';
import { hashWithSalt } from '../users/password-hasher.ts';
import { createPrng } from './prng.ts';
import { buildPools, categoryNames } from './faker-pools.ts';
import { seedAccounts, seedProfiles, type SeedProfile, type SeedProfileName } from './seed-profiles.ts';
import { createBulkWriter, type BulkWriter } from './bulk-writer.ts';
import { columns, productRow, pricedCents, randomPastMs, seedEpochMs, userRow } from './generate-rows.ts';
import { dt, str } from './sql-values.ts';
import { writeOrders } from './write-orders.ts';

export interface SeedProgress {
  table: string;
  /** Rows written so far, all tables. */
  rows: number;
  /** Expected rows in all (order items are estimated until written). */
  estimatedTotalRows: number;
  elapsedMs: number;
}

export interface SeedOptions {
  profile?: SeedProfileName | SeedProfile;
  /** Same seed, same data (default 1). */
  seed?: number;
  onProgress?: (p: SeedProgress) => void;
}

export interface SeedResult {
  seed: number;
  rows: Record<string, number>;
  totalRows: number;
  /** Whole run, including the schema and emptying the tables. */
  elapsedMs: number;
  /** Bulk loading only. */
  loadMs: number;
  rowsPerSecond: number;
}

const seededTables = ['notifications', 'payments', 'order_items', 'orders', 'cart_items', 'inventory_adjustments', 'inventory', 'sessions', 'products', 'categories', 'users'];

/** Rows per order besides the order itself: ~2 items, a charge, an email, plus refunds and emails of cancellations. */
const rowsPerOrder = 1 + 2 + 1 + 1 + 0.12;

/**
 * Applies the schema, empties the legacy tables and fills them with realistic, deterministic data using
 * multi-row INSERTs inside transactions (foreign-key checks off while loading, as dumps do).
 */
export const seedLegacy = async (knex: Knex, options: SeedOptions = {}): Promise<SeedResult> => {
  const profile = typeof options.profile === 'object' ? options.profile : seedProfiles[options.profile ?? 'small'];
  const seed = options.seed ?? 1;
  const started = Date.now();
  const rows: Record<string, number> = {};
  let total = 0;
  const estimated = Math.round(profile.categories + profile.products * 2 + profile.users + 1 + profile.cartUsers * 2 + profile.orders * rowsPerOrder);
  const onWritten = (table: string, n: number) => {
    rows[table] = (rows[table] ?? 0) + n;
    total += n;
    options.onProgress?.({ table, rows: total, estimatedTotalRows: Math.max(estimated, total), elapsedMs: Date.now() - started });
  };
  const loading = async (fn: (w: BulkWriter) => Promise<void>) => knex.transaction(async (trx) => {
    await trx.raw('SET SESSION foreign_key_checks = 0, unique_checks = 0');
    try {
      const w = createBulkWriter(trx, profile.batchRows, onWritten);
      await fn(w);
      await w.flush();
    } finally {
      await trx.raw('SET SESSION foreign_key_checks = 1, unique_checks = 1');
    }
  });

  await applyLegacySchema(knex);
  await knex.transaction(async (trx) => {
    await trx.raw('SET SESSION foreign_key_checks = 0');
    for (const t of seededTables) await trx.raw('DELETE FROM ??', [t]);
    await trx.raw('SET SESSION foreign_key_checks = 1');
  });
  for (const t of seededTables) await knex.raw('ALTER TABLE ?? AUTO_INCREMENT = 1', [t]).catch(() => undefined);

  const pools = buildPools(seed);
  const salt = createHash('sha256').update(`ficus-seed-${seed}`).digest().subarray(0, 16);
  const scryptCost = { N: 16384, r: 8, p: 1 };
  const customerHash = await hashWithSalt(seedAccounts.customerPassword, salt, scryptCost);
  const adminHash = await hashWithSalt(seedAccounts.admin.password, salt, scryptCost);
  const loadStarted = Date.now();
  const prices = new Int32Array(profile.products + 1);
  const users: Array<{ email: string; name: string }> = [{ email: '', name: '' }, { email: seedAccounts.admin.email, name: 'Ada Admin' }];

  await loading(async (w) => {
    const r = createPrng(seed, 'catalog');
    for (let id = 1; id <= profile.categories; id++) {
      const name = categoryNames[(id - 1) % categoryNames.length]!;
      const suffix = id > categoryNames.length ? ` ${Math.ceil(id / categoryNames.length)}` : '';
      await w.add('categories', columns.categories, `(${id},${str(name + suffix)},${str((name + suffix).toLowerCase().replace(/\s+/g, '-'))},${dt(seedEpochMs - 400 * 86_400_000)})`);
    }
    for (let id = 1; id <= profile.products; id++) {
      prices[id] = pricedCents(r);
      await w.add('products', columns.products, productRow(r, pools, id, profile.categories, prices[id]!));
      await w.add('inventory', columns.inventory, `(${id},${r.chance(0.05) ? 0 : r.int(1, 500)},${dt(randomPastMs(r))})`);
    }
  });

  await loading(async (w) => {
    const r = createPrng(seed, 'users');
    await w.add('users', columns.users, `(1,${str(seedAccounts.admin.email)},${str(adminHash)},'Ada Admin',NULL,'admin',${dt(seedEpochMs - 400 * 86_400_000)},${dt(seedEpochMs - 400 * 86_400_000)})`);
    for (let id = 2; id <= profile.users + 1; id++) {
      const u = userRow(r, pools, id, customerHash);
      users.push({ email: u.email, name: u.name });
      await w.add('users', columns.users, u.row);
    }
    for (let id = 2; id <= Math.min(profile.cartUsers, profile.users) + 1; id++) {
      const picked = new Set<number>();
      for (let k = r.int(1, 3); k > 0; k--) picked.add(r.int(1, profile.products));
      for (const productId of picked) {
        const at = randomPastMs(r);
        await w.add('cart_items', columns.cart_items, `(${id},${productId},${r.int(1, 3)},${dt(at)},${dt(at)})`);
      }
    }
  });

  await writeOrders({ seed, profile, prices, users, loading });

  const loadMs = Date.now() - loadStarted;
  return { seed, rows, totalRows: total, elapsedMs: Date.now() - started, loadMs, rowsPerSecond: Math.round(total / (Math.max(loadMs, 1) / 1000)) };
};
