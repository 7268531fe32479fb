import type { BulkWriter } from './bulk-writer.ts';
import type { SeedProfile } from './seed-profiles.ts';
import { createPrng } from './prng.ts';
import { columns, randomPastMs } from './generate-rows.ts';
import { dt, str } from './sql-values.ts';

export interface WriteOrdersInput {
  seed: number;
  profile: SeedProfile;
  /** Price in cents by product id. */
  prices: Int32Array;
  /** Email and name by user id (index 1 is the admin, customers from 2). */
  users: Array<{ email: string; name: string }>;
  loading: (fn: (w: BulkWriter) => Promise<void>) => Promise<void>;
}

const ordersPerTransaction = 50_000;
const itemCounts = [1, 1, 1, 1, 2, 2, 2, 3, 3, 4];

/** Orders with their items, payments (charge, and refund when cancelled) and outbox emails. */
export const writeOrders = async ({ seed, profile, prices, users, loading }: WriteOrdersInput): Promise<void> => {
  const r = createPrng(seed, 'orders');
  let itemId = 0, paymentId = 0, notificationId = 0;
  for (let from = 1; from <= profile.orders; from += ordersPerTransaction) {
    const to = Math.min(profile.orders, from + ordersPerTransaction - 1);
    await loading(async (w) => {
      for (let id = from; id <= to; id++) {
        const userId = r.int(2, profile.users + 1);
        const user = users[userId]!;
        const created = randomPastMs(r);
        const products = new Set<number>();
        for (let k = r.pick(itemCounts); k > 0; k--) products.add(r.int(1, profile.products));
        let totalCents = 0;
        for (const productId of products) {
          const quantity = r.int(1, 3);
          totalCents += quantity * prices[productId]!;
          await w.add('order_items', columns.order_items, `(${++itemId},${id},${productId},${quantity},${prices[productId]})`);
        }
        const cancelled = r.chance(0.06);
        const cancelledAt = cancelled ? created + r.int(1, 72) * 3_600_000 : null;
        const updated = cancelledAt ?? created;
        await w.add('orders', columns.orders, `(${id},${userId},'${cancelled ? 'cancelled' : 'paid'}',${totalCents},${dt(created)},${dt(updated)},${cancelledAt === null ? 'NULL' : dt(cancelledAt)})`);
        await w.add('payments', columns.payments, `(${++paymentId},${id},'charge','succeeded',${totalCents},'ch_seed_${id}',${dt(created)})`);
        const euros = (totalCents / 100).toFixed(2);
        await w.add('notifications', columns.notifications, `(${++notificationId},${userId},${id},'email','order_placed',${str(user.email)},${str(`Your order #${id} is confirmed`)},${str(`Hello ${user.name}, we received your order #${id}. Total: EUR ${euros}`)},'sent',${dt(created)},${dt(created + 60_000)})`);
        if (cancelledAt !== null) {
          await w.add('payments', columns.payments, `(${++paymentId},${id},'refund','succeeded',${totalCents},'re_seed_${id}',${dt(cancelledAt)})`);
          await w.add('notifications', columns.notifications, `(${++notificationId},${userId},${id},'email','order_cancelled',${str(user.email)},${str(`Your order #${id} is cancelled`)},${str(`Hello ${user.name}, your order #${id} is cancelled and EUR ${euros} will be refunded.`)},'sent',${dt(cancelledAt)},${dt(cancelledAt + 60_000)})`);
        }
      }
    });
  }
};
