import { FicusError } from '@ficus/common';

/** What an operator runs when the worker's user lacks a table or a right. */
export const provisionHint = 'provision the migration worker as root (`node workflows/src/migration/provision.ts`, or start it with FICUS_MIGRATION_PROVISION_ON_START=true) after the services and the CDC are provisioned';

const deniedCodes = new Set(['ER_DBACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'ER_TABLEACCESS_DENIED_ERROR', 'ER_COLUMNACCESS_DENIED_ERROR', 'ER_NO_SUCH_TABLE', 'ER_BAD_DB_ERROR']);

/** A MariaDB error that means "the worker's user may not do this, or the table is not there" (mysql2's `code`). */
export const isAccessDenied = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && deniedCodes.has(String((e as { code?: unknown }).code));

/**
 * MIGRATION_NOT_PROVISIONED for a denied or missing table (not retried: only provisioning helps),
 * naming what the user was doing and what to run; any other error as it is.
 */
export const asNotProvisioned = (e: unknown, what: string, user: string): unknown => {
  if (!isAccessDenied(e)) return e;
  const sql = (e as { sqlMessage?: string; message?: string }).sqlMessage ?? (e as Error).message;
  return new FicusError('MIGRATION_NOT_PROVISIONED', `${what}: MariaDB refused the migration worker's user ${user} (${sql}); ${provisionHint}`);
};
