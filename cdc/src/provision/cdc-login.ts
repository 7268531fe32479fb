import type { StackEnv } from '@ficus/common';

/** A MariaDB account the CDC connects with: its own user (`ficus_cdc`) in the appliers. */
export interface CdcLogin { user: string; password: string }

/** A mysql2 connection to the stack's MariaDB as `login`, to `database` when given. */
export const cdcConnection = (stack: StackEnv, login: CdcLogin, database?: string) => ({
  host: stack.FICUS_MARIADB_HOST,
  port: stack.FICUS_MARIADB_PORT,
  user: login.user,
  password: login.password,
  ...(database ? { database } : {}),
});

/**
 * The stack's root account as a login, for the admin tools that still use it (the CLI; the
 * migration worker until it has a user of its own). The CDC appliers never do.
 */
export const cdcRootLogin = (stack: StackEnv): CdcLogin => ({ user: 'root', password: stack.FICUS_MARIADB_ROOT_PASSWORD });
