import { FicusError } from '@ficus/common/core';

/** What an operator runs when the proxy's user may not sign in or lacks a grant on the ownership tables. */
export const proxyProvisionHint = "provision the proxy's user as root (`node strangler-proxy/src/provision.ts`, or start the proxy with FICUS_PROXY_PROVISION_ON_START=true)";
/** What makes the ownership database and its tables (the proxy's provisioning only grants on them). */
export const ownershipSchemaHint = "provision the ownership database first (the migration worker's provisioning: `node workflows/src/migration/provision.ts`, or `./ficus ownership status`)";

/**
 * A MariaDB refusal met while the proxy opens the ownership store as its own user, as
 * OWNERSHIP_NOT_PROVISIONED naming the user, what is wrong and what to run; undefined for any other
 * error (MariaDB down, a timeout), which is reported as it is. Branches on mysql2's `code`.
 */
export const ownershipRefusal = (e: unknown, o: { user: string; database: string }): FicusError | undefined => {
  const code = typeof e === 'object' && e !== null ? String((e as { code?: unknown }).code) : '';
  const sql = (e as { sqlMessage?: string } | undefined)?.sqlMessage ?? (e instanceof Error ? e.message : String(e));
  const refused = (problem: string, hint: string) => new FicusError('OWNERSHIP_NOT_PROVISIONED', `the write-ownership database ${o.database}: ${problem} (MariaDB: ${sql}); ${hint}`,
    { details: { database: o.database, user: o.user, mariadb: code } });
  switch (code) {
    case 'ER_ACCESS_DENIED_ERROR':
      return refused(`MariaDB refused the proxy's user ${o.user}: it does not exist, or FICUS_PROXY_DB_PASSWORD is not its password (provisioning creates it when missing and leaves an existing one's password as it is, e.g. the shadow store's)`, proxyProvisionHint);
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_BAD_DB_ERROR':
      return refused(`the proxy's user ${o.user} may not use it: the database does not exist, or nothing in it is granted to ${o.user}`, `${ownershipSchemaHint}, then ${proxyProvisionHint}`);
    case 'ER_NO_SUCH_TABLE':
      return refused('an ownership table is missing', `${ownershipSchemaHint}, then ${proxyProvisionHint}`);
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR':
      return refused(`the proxy's user ${o.user} lacks a grant it needs (SELECT on ownership_units; SELECT, INSERT, UPDATE, DELETE on ownership_proxies)`, proxyProvisionHint);
    default:
      return undefined;
  }
};
