import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { readStackEnv, mariadbRootConnection } from '../stack/stack-env.ts';
import { withSqlTraceComments } from '../tracing/sql-trace-comment.ts';

/**
 * A fresh, uniquely named MariaDB database on the local stack for one test file, so tests never
 * collide. `drop()` removes it.
 */
export const createTestDatabase = async (prefix: string): Promise<{ name: string; knex: Knex; drop: () => Promise<void> }> => {
  const stack = readStackEnv();
  const name = `t_${prefix.replace(/[^a-z0-9_]/gi, '_')}_${randomBytes(4).toString('hex')}`.toLowerCase();
  const admin = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack) });
  try {
    await admin.raw('CREATE DATABASE ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [name]);
  } finally {
    await admin.destroy();
  }
  // as the apps' own pools: a write made inside a sampled span carries its trace into the binlog
  // (apps started in process by a test, such as the saga stack's monolith, behave as deployed)
  const knex = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack, name), pool: withSqlTraceComments({ min: 0, max: 10 }) });
  return {
    name,
    knex,
    drop: async () => {
      await knex.destroy();
      const a = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack) });
      try { await a.raw('DROP DATABASE IF EXISTS ??', [name]); } finally { await a.destroy(); }
    },
  };
};
