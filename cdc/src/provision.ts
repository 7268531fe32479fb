// Provisions the CDC once per deployment, as root (FICUS_MARIADB_ROOT_PASSWORD), after the services
// have applied their schema: `node cdc/src/provision.ts`. Then run the CDC with
// CDC_PROVISION_ON_START=false and without the root password.
import { createLogger, isFicusError } from '@ficus/common';
import { loadCdcConfig } from './config.ts';
import { provisionCdc } from './provision/provision-cdc.ts';

const log = createLogger('cdc');
try {
  const config = loadCdcConfig();
  const schema = await provisionCdc(config.stack, { login: config.login, debeziumUser: config.debezium.user, databases: config.databases, control: config.controlDatabase });
  log.info({ user: config.login.user, schema }, 'cdc provisioned');
} catch (e) {
  if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
  else log.fatal({ err: e }, 'cdc provisioning failed');
  process.exit(1);
}
