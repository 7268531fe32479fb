// Provisions the monolith once per release, as root (FICUS_MARIADB_ROOT_PASSWORD): its database,
// its schema and its own MariaDB user with row rights on its tables. `node legacy-monolith/src/provision.ts`;
// then run it with LEGACY_PROVISION_ON_START=false and without the root password.
import { createLogger, isFicusError } from '@ficus/common';
import { loadConfig } from './config.ts';
import { provisionLegacy } from './db/provision-legacy.ts';

const log = createLogger('legacy-monolith');
try {
  const config = loadConfig();
  const { database, user, password } = config.database;
  const schema = await provisionLegacy(config.stack, { database, login: { user, password } });
  log.info({ database, user, schema }, 'legacy monolith provisioned');
} catch (e) {
  if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
  else log.fatal({ err: e }, 'legacy monolith provisioning failed');
  process.exit(1);
}
