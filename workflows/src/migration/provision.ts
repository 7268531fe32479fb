// Provisions the migration worker once per deployment, as root (FICUS_MARIADB_ROOT_PASSWORD), after
// the services applied their schema and the CDC is provisioned: `node workflows/src/migration/provision.ts`.
// Then run the worker with FICUS_MIGRATION_PROVISION_ON_START=false and without the root password.
import { createLogger, isFicusError, ownershipDatabaseOf } from '@ficus/common';
import { loadCdcConfig } from '@ficus/cdc';
import { loadMigrationWorkerConfig } from './migration-worker-config.ts';
import { loadMigrations, routeContext } from './migration-catalogue.ts';
import { provisionMigrator, workerProvisionOptions } from './provision/provision-migrator.ts';

const log = createLogger('migration-worker');
try {
  const config = loadMigrationWorkerConfig();
  const declarations = loadMigrations(config.migrationsDir, routeContext(config.routesFile));
  const schema = await provisionMigrator(config.stack, workerProvisionOptions(config, declarations, loadCdcConfig(), ownershipDatabaseOf()));
  log.info({ user: config.login.user, stateDatabase: config.stateDatabase, schema }, 'migration worker provisioned');
} catch (e) {
  if (isFicusError(e)) log.fatal({ code: e.code }, e.message);
  else log.fatal({ err: e }, 'migration worker provisioning failed');
  process.exit(1);
}
