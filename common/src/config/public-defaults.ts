/**
 * Secrets, tokens and passwords that have a default so the local stack starts with no setup. They
 * are public (in this repository), so production mode refuses every one of them
 * (`production-mode.ts`). The service-auth secret's default is `devServiceAuthSecret` in `auth/auth-config.ts`.
 */
export const devProxyAdminToken = 'ficus-local-proxy-admin-token';
/** The migration worker's (`ficus_migrator`) and the monolith's (`ficus_legacy`) MariaDB passwords when not set. */
export const devMigratorDbPassword = 'ficus-migrator-local';
export const devLegacyDbPassword = 'ficus-legacy-local';
export const devMariadbRootPassword = 'ficus-root';
export const devUnleashAdminToken = '*:*.ficus-local-admin-token';
export const devUnleashClientToken = 'default:development.ficus-local-client-token';
export const devDebeziumPassword = 'ficus-debezium';
/** The CDC appliers' own MariaDB user's password when `FICUS_CDC_DB_PASSWORD` is not set. */
export const devCdcDbPassword = 'ficus-cdc-local';
/** A service's own MariaDB password when `<PREFIX>_DB_PASSWORD` is not set, e.g. `ficus-catalog-local`. */
export const devServiceDbPassword = (database: string): string => `ficus-${database.replace(/^svc_/, '')}-local`;
/**
 * The proxy's own MariaDB user's (`ficus_proxy`) password: in the default `FICUS_PROXY_SHADOW_DB_URL`
 * (its shadow store) and the default `FICUS_PROXY_DB_PASSWORD` (the write-ownership store, as the same user).
 */
export const devProxyShadowDbPassword = 'ficus-proxy-local';
