import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { FicusError, knexLog, mariadbRootConnection, mariadbUnreachable, type Logger, type StackEnv } from '@ficus/common/core';
import { assertOwnershipProvisioned, createOwnershipStore, type OwnershipStore } from '@ficus/common/ownership';
import { proxyOwnershipGrants } from './proxy-ownership-grants.ts';
import { ownershipRefusal } from './ownership-refusal.ts';

/** The proxy's own MariaDB account (`FICUS_PROXY_DB_USER`, `FICUS_PROXY_DB_PASSWORD`): by default the shadow store's `ficus_proxy`. */
export interface ProxyDbLogin { user: string; password: string }
export interface ProxyOwnershipAccess { login: ProxyDbLogin; database: string }

const identifier = /^[A-Za-z0-9_]{1,64}$/;

/**
 * What the proxy's user may not do itself, as root (FICUS_MARIADB_ROOT_PASSWORD): creates the user
 * when missing and grants it `proxyOwnershipGrants` on the ownership tables. An existing user keeps
 * its password: by default it is the shadow store's account, made by `ficus stack up` or compose's
 * init script with the password the shadow store's URL carries. The tables come from the migration
 * worker's provisioning (`provisionOwnership`): a table missing is OWNERSHIP_NOT_PROVISIONED naming it.
 * Idempotent; grants are only added.
 */
export const provisionProxyOwnership = async (stack: StackEnv, o: ProxyOwnershipAccess): Promise<void> => {
  for (const n of [o.login.user, o.database]) {
    if (!identifier.test(n)) throw new FicusError('CONFIG_INVALID', `proxy provisioning: ${JSON.stringify(n)} is not a MariaDB name (letters, digits, _)`);
  }
  await assertOwnershipProvisioned(stack, o.database);
  const admin = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack), pool: { min: 0, max: 1 }, log: knexLog });
  try {
    await admin.raw(`CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?`, [o.login.user, o.login.password]);
    for (const g of proxyOwnershipGrants({ user: o.login.user, database: o.database })) {
      // privileges come from proxyOwnershipGrants' fixed lists, never from input
      await admin.raw(`GRANT ${g.privileges.join(', ')} ON ??.?? TO ?@'%'`, [g.database, g.table, g.user]);
    }
  } finally {
    await admin.destroy();
  }
};

const probeDone = new Error('grant probe done: rolled back');

/**
 * Every statement the follower runs, on nothing: the units read, and its report's upsert and delete
 * on a probe row inside a transaction that is rolled back (MariaDB checks the rights when it opens
 * the tables, whether or not a row matches).
 */
const checkRights = async (knex: Knex): Promise<void> => {
  await knex.raw('SELECT * FROM ownership_units LIMIT 0');
  const probe = `grant-probe:${randomBytes(6).toString('hex')}`;
  try {
    await knex.transaction(async (trx) => {
      await trx.raw('INSERT INTO ownership_proxies (proxy_id, seen, inflight, heartbeat_at) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE heartbeat_at = VALUES(heartbeat_at)', [probe, '{}', '{}', new Date()]);
      await trx.raw('DELETE FROM ownership_proxies WHERE proxy_id = ?', [probe]);
      throw probeDone;
    });
  } catch (e) {
    if (e !== probeDone) throw e;
  }
};

/**
 * The ownership store as the proxy's own user (least privilege, decision 0018 "Proxy"), after checking
 * it may do what the follower does; OWNERSHIP_NOT_PROVISIONED naming the user and what to run when it
 * may not sign in, a table is missing or a grant is. `close` with `store.knex.destroy()`.
 */
const userKnex = (stack: StackEnv, o: ProxyOwnershipAccess): Knex => knexFactory({
  client: 'mysql2', log: knexLog, pool: { min: 0, max: 2 },
  connection: { host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, user: o.login.user, password: o.login.password, database: o.database },
});

export const openProxyOwnershipStore = async (stack: StackEnv, o: ProxyOwnershipAccess): Promise<OwnershipStore> => {
  const knex = userKnex(stack, o);
  try {
    await checkRights(knex);
  } catch (e) {
    await knex.destroy();
    throw ownershipRefusal(e, { user: o.login.user, database: o.database }) ?? e;
  }
  return createOwnershipStore(knex);
};

/**
 * The proxy's start: provisions its user first when told to (`FICUS_PROXY_PROVISION_ON_START`), then
 * opens the store as that user. A refusal (user, grant, table) stops the start. MariaDB not answering
 * does not: the proxy serves, the follower keeps trying every poll, and until its first read the
 * writes of ownership units wait, then get 503 (the gate's view is unknown), as when the store fails
 * later; reads and the other routes are served meanwhile.
 */
export const openProxyOwnership = async (stack: StackEnv, o: ProxyOwnershipAccess & { provisionOnStart: boolean }, log?: Logger): Promise<OwnershipStore> => {
  try {
    if (o.provisionOnStart) {
      await provisionProxyOwnership(stack, o);
      log?.info({ user: o.login.user, database: o.database }, "proxy's MariaDB user provisioned on the ownership database");
    }
    return await openProxyOwnershipStore(stack, o);
  } catch (e) {
    if (!mariadbUnreachable(e)) throw e;
    log?.warn({ database: o.database, host: `${stack.FICUS_MARIADB_HOST}:${stack.FICUS_MARIADB_PORT}`, err: e instanceof Error ? e.message : String(e) },
      `MariaDB does not answer for write ownership: serving anyway; writes of ownership units wait, then get 503, until it answers${o.provisionOnStart ? ' (provisioning on start skipped: run it once MariaDB is back if the user lacks grants)' : ''}`);
    return createOwnershipStore(userKnex(stack, o));
  }
};
