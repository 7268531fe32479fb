import { createFakeStores } from '../db/create-fake-stores.ts';
import { createScryptHasher } from '../users/password-hasher.ts';
import type { User } from '../users/user-types.ts';

/** Fake stores with one category, and helpers to add products and users; a fixed clock. */
export const fakeFixture = () => {
  const f = createFakeStores();
  const clock = () => new Date('2025-06-01T12:00:00.000Z');
  // Cheap scrypt cost: unit tests check behaviour, not hash strength.
  const hasher = createScryptHasher({ N: 1024 });
  f.db.categories.push({ id: 1, name: 'Toys', slug: 'toys', createdAt: clock() });
  let productSeq = 0, userSeq = 0;
  return {
    ...f,
    clock,
    hasher,
    product(priceCents: number, stock: number): number {
      const id = ++productSeq;
      f.db.seq.products = id;
      f.db.products.push({ id, sku: `SKU-${id}`, name: `Product ${id}`, description: '', priceCents, categoryId: 1, createdAt: clock(), updatedAt: clock() });
      f.db.inventory.push({ productId: id, quantity: stock, updatedAt: clock() });
      return id;
    },
    user(role: User['role'] = 'customer'): User {
      const id = ++userSeq;
      f.db.seq.users = id;
      const u = { id, email: `u${id}@example.com`, name: `U ${id}`, address: null, role, createdAt: clock(), updatedAt: clock() };
      f.db.users.push({ ...u, passwordHash: 'x' });
      return u;
    },
  };
};
