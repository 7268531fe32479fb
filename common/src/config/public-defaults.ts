/**
 * Secrets, tokens and passwords that have a default so the local stack starts with no setup. They
 * are public (in this repository), so production mode refuses every one of them
 * (`production-mode.ts`). The service-auth secret's default is `devServiceAuthSecret` in `auth/auth-config.ts`.
 */
export const devProxyAdminToken = 'ficus-local-proxy-admin-token';
export const devMariadbRootPassword = 'ficus-root';
export const devUnleashAdminToken = '*:*.ficus-local-admin-token';
export const devUnleashClientToken = 'default:development.ficus-local-client-token';
export const devDebeziumPassword = 'ficus-debezium';
/** The CDC appliers' own MariaDB user's password when `FICUS_CDC_DB_PASSWORD` is not set. */
export const devCdcDbPassword = 'ficus-cdc-local';
/** A service's own MariaDB password when `<PREFIX>_DB_PASSWORD` is not set, e.g. `ficus-catalog-local`. */
export const devServiceDbPassword = (database: string): string => `ficus-${database.replace(/^svc_/, '')}-local`;
