import knexFactory, { type Knex } from 'knex';
import { knexLog } from '@ficus/common/core';

/** GTID domain of every write the sync makes; consumers on the other side drop it (no echo). */
export const SYNC_GTID_DOMAIN = 9;

/**
 * A knex pool whose sessions write with `gtid_domain_id = SYNC_GTID_DOMAIN`. MariaDB only lets a
 * session change it outside a transaction, so it is set once per new connection. The user needs
 * the privilege to set it (SUPER, or REPLICATION MASTER ADMIN on newer MariaDB).
 */
export const createSyncWriterKnex = (connection: Knex.MySql2ConnectionConfig, poolMax = 4): Knex =>
  knexFactory({
    client: 'mysql2',
    connection: { ...connection, timezone: 'Z' },
    log: knexLog,
    pool: {
      min: 0,
      max: poolMax,
      afterCreate: (conn: { query: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) => {
        // Foreign keys are not checked for the sync: tables arrive on separate topics, so a row may
        // land before the row it references; the source already enforced them.
        conn.query(`SET SESSION gtid_domain_id = ${SYNC_GTID_DOMAIN}, SESSION foreign_key_checks = 0`, (err) => done(err, conn));
      },
    },
  });
