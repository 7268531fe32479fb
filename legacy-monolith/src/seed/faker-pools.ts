import { Faker, en } from '@faker-js/faker';

/**
 * Realistic words drawn once from a seeded faker, then combined by the PRNG: calling faker per
 * row would be far too slow for millions of rows.
 */
export const buildPools = (seed: number) => {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const many = <T>(n: number, f: () => T) => Array.from({ length: n }, f);
  return {
    firstNames: many(400, () => faker.person.firstName()),
    lastNames: many(400, () => faker.person.lastName()),
    streets: many(600, () => faker.location.streetAddress()),
    cities: many(200, () => `${faker.location.zipCode('#####')} ${faker.location.city()}`),
    adjectives: many(120, () => faker.commerce.productAdjective()),
    materials: many(60, () => faker.commerce.productMaterial()),
    nouns: many(120, () => faker.commerce.product()),
    descriptions: many(400, () => faker.commerce.productDescription()),
  };
};

export type Pools = ReturnType<typeof buildPools>;

/** Category names of the shop (the profile takes the first N). */
export const categoryNames = [
  'Books', 'Electronics', 'Garden', 'Kitchen', 'Toys', 'Sports', 'Clothing', 'Shoes', 'Beauty', 'Health',
  'Music', 'Movies', 'Games', 'Tools', 'Automotive', 'Baby', 'Pets', 'Office', 'Furniture', 'Lighting',
  'Jewelry', 'Outdoors', 'Grocery', 'Crafts',
] as const;
