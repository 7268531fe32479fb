/** One GRANT of row rights on `database.table` to `user`@`%`. */
export interface ProxyOwnershipGrant { privileges: readonly string[]; user: string; database: string; table: string }

/**
 * The grants the proxy's MariaDB user needs on the write-ownership database (decision 0018, "Proxy"),
 * exactly what its follower does (`ownership/ownership-follower.ts`):
 * - `ownership_units`: SELECT (`store.all()`, every poll); it never writes an owner;
 * - `ownership_proxies`: INSERT and UPDATE (`store.report()`, an upsert of its own row), DELETE
 *   (`store.forgetProxy()` at shutdown, so a switch stops waiting for a stopped replica at once), and
 *   SELECT, which MariaDB asks of the upsert's and the delete's `WHERE`/key columns.
 * Nothing on `ownership_log` or the schema history, no DDL, nothing in another database.
 */
export const proxyOwnershipGrants = (o: { user: string; database: string }): ProxyOwnershipGrant[] => [
  { privileges: ['SELECT'], user: o.user, database: o.database, table: 'ownership_units' },
  { privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], user: o.user, database: o.database, table: 'ownership_proxies' },
];
