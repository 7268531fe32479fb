import knexFactory, { type Knex } from 'knex';
import { mariadbRootConnection, type StackEnv } from '../stack/stack-env.ts';
import { withSqlTraceComments } from '../tracing/sql-trace-comment.ts';
import { knexLog } from './knex-log.ts';

export interface ServiceDatabase {
  /** Database (schema) name, e.g. `svc_catalog`. */
  database: string;
  /** The service's own MariaDB user, e.g. `svc_catalog`. */
  user: string;
  password: string;
  /** Host part of the account (default `%`: any host, password required). */
  userHost?: string;
}

const identifier = /^[A-Za-z0-9_]{1,64}$/;

/**
 * Creates the service's database and its own MariaDB user with every privilege on that database
 * and nothing else (one database and one user per service). Idempotent: re-running resets the
 * password and re-applies the grant. Needs a connection with CREATE USER and GRANT OPTION (root).
 */
export const provisionServiceDatabase = async (admin: Knex, db: ServiceDatabase): Promise<void> => {
  if (!identifier.test(db.database)) throw new Error(`database name ${JSON.stringify(db.database)}: expected letters, digits, _`);
  if (!identifier.test(db.user)) throw new Error(`user name ${JSON.stringify(db.user)}: expected letters, digits, _`);
  const host = db.userHost ?? '%';
  await admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [db.database]);
  await admin.raw('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [db.user, host, db.password]);
  await admin.raw('ALTER USER ?@? IDENTIFIED BY ?', [db.user, host, db.password]);
  await admin.raw('GRANT ALL PRIVILEGES ON ??.* TO ?@?', [db.database, db.user, host]);
};

/** Drops the user and the database (tests and `--reset` only). */
export const dropServiceDatabase = async (admin: Knex, db: Pick<ServiceDatabase, 'database' | 'user' | 'userHost'>): Promise<void> => {
  await admin.raw('DROP USER IF EXISTS ?@?', [db.user, db.userHost ?? '%']);
  await admin.raw('DROP DATABASE IF EXISTS ??', [db.database]);
};

/** Runs `fn` with a short-lived root connection to the stack's MariaDB. */
export const withRootConnection = async <T>(stack: StackEnv, fn: (admin: Knex) => Promise<T>): Promise<T> => {
  const admin = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack), pool: { min: 0, max: 1 }, log: knexLog });
  try { return await fn(admin); } finally { await admin.destroy(); }
};

export interface ServiceDbConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  poolMax: number;
}

/**
 * The knex pool a service uses: its own user, UTC timestamps (like the monolith), mysql2; writes in
 * a sampled span carry its `traceparent` into the binlog, for the CDC's apply spans.
 */
export const createServiceKnex = ({ poolMax, ...connection }: ServiceDbConnection): Knex =>
  knexFactory({ client: 'mysql2', connection: { ...connection, timezone: 'Z' }, pool: withSqlTraceComments({ min: 0, max: poolMax }), log: knexLog });
