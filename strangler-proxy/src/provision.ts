// Provisions the proxy's own MariaDB user once per release, as root (FICUS_MARIADB_ROOT_PASSWORD),
// after the migration worker's provisioning made the ownership tables: creates the user when missing
// and grants it what the proxy does there (proxyOwnershipGrants), then signs in as it to check.
// `node strangler-proxy/src/provision.ts`; then run the proxies with FICUS_PROXY_PROVISION_ON_START=false
// (the default with FICUS_ENV=production) and without the root password.
import { createLogger, isFicusError, productionSettings, readStackEnv } from '@ficus/common/core';
import { readProxyConfig } from './config.ts';
import { openProxyOwnershipStore, provisionProxyOwnership } from './ownership/proxy-ownership-user.ts';

const log = createLogger('strangler-proxy');
try {
  // production mode checks what this step uses: the root password, and the user's password it creates the user with
  const config = readProxyConfig(process.env, [productionSettings.mariadbRootPassword, productionSettings.proxyDbPassword]);
  const stack = readStackEnv();
  const { login, database } = config.ownership;
  await provisionProxyOwnership(stack, { login, database });
  const store = await openProxyOwnershipStore(stack, { login, database });
  await store.knex.destroy();
  log.info({ user: login.user, database }, "proxy's MariaDB user provisioned on the ownership database and checked");
} catch (e) {
  if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
  else log.fatal({ err: e }, 'proxy provisioning failed');
  process.exit(1);
}
