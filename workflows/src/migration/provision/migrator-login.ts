import type { StackEnv } from '@ficus/common';
import type { CdcLogin } from '@ficus/cdc';

/** A MariaDB account the migration worker connects with: its own user (`ficus_migrator`). */
export type MigratorLogin = CdcLogin;

/** A mysql2 connection to the stack's MariaDB as `login`, to `database` when given. */
export const migratorConnection = (stack: StackEnv, login: MigratorLogin, database?: string) => ({
  host: stack.FICUS_MARIADB_HOST,
  port: stack.FICUS_MARIADB_PORT,
  user: login.user,
  password: login.password,
  ...(database ? { database } : {}),
});

/** The stack's root account as a login, for the CLI (an operator tool that keeps the admin connection). */
export const migratorRootLogin = (stack: StackEnv): MigratorLogin => ({ user: 'root', password: stack.FICUS_MARIADB_ROOT_PASSWORD });
