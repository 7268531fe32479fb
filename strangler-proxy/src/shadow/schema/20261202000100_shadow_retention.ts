import type { Knex } from 'knex';

/** Retention deletes mismatch records by age: an index on the time they were stored. */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.alterTable('shadow_mismatches', (t) => { t.index(['created_at'], 'shadow_mismatches_created_at'); });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.alterTable('shadow_mismatches', (t) => { t.dropIndex(['created_at'], 'shadow_mismatches_created_at'); });
};
