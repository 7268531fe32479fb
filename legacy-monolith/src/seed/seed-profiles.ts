export interface SeedProfile {
  categories: number;
  products: number;
  users: number;
  orders: number;
  /** Users (from id 2) who have something in their cart. */
  cartUsers: number;
  /** Rows per multi-row INSERT. */
  batchRows: number;
}

export type SeedProfileName = 'small' | 'large';

/**
 * `small` is the demo (a few seconds); `large` is for benchmarks and migration rehearsals:
 * 120k products, 100k users, 1M orders, about 5.5M rows in all.
 */
export const seedProfiles: Record<SeedProfileName, SeedProfile> = {
  small: { categories: 12, products: 2_000, users: 500, orders: 5_000, cartUsers: 100, batchRows: 2_000 },
  large: { categories: 24, products: 120_000, users: 100_000, orders: 1_000_000, cartUsers: 20_000, batchRows: 5_000 },
};

/** Credentials of the seeded accounts (documented in docs/components/legacy-monolith.md). */
export const seedAccounts = {
  admin: { email: 'admin@ficus.local', password: 'ficus-admin' },
  customerPassword: 'ficus-demo',
} as const;
