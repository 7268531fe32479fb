import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '@ficus/stack';
import { ensureDebianPackages } from '@ficus/stack';

const run = promisify(execFile);

/** `docker compose` (v2 plugin) where present, else Debian's docker-compose (installed when missing). */
const composeCommand = async (): Promise<string[]> => {
  try { await run('docker', ['compose', 'version']); return ['docker', 'compose']; } catch { /* no plugin */ }
  await ensureDebianPackages('docker-compose', 'docker-compose', ['docker-compose']);
  return ['docker-compose'];
};

/** The secrets compose requires from the environment (`${VAR:?…}`); sample values, never a public default. */
const composeSecrets = {
  FICUS_MARIADB_ROOT_PASSWORD: 'compose-test-root-password', FICUS_SERVICE_AUTH_SECRET: 'compose-test-service-auth-secret-0123456789',
  FICUS_PROXY_ADMIN_TOKEN: 'compose-test-admin-token', FICUS_UNLEASH_ADMIN_TOKEN: '*:*.compose-test-admin', FICUS_UNLEASH_CLIENT_TOKEN: 'default:development.compose-test-client',
  CATALOG_DB_PASSWORD: 'compose-test-catalog', INVENTORY_DB_PASSWORD: 'compose-test-inventory', ORDERS_DB_PASSWORD: 'compose-test-orders', PAYMENTS_DB_PASSWORD: 'compose-test-payments',
  FICUS_CDC_DB_PASSWORD: 'compose-test-cdc', LEGACY_DB_PASSWORD: 'compose-test-legacy', FICUS_MIGRATION_DB_PASSWORD: 'compose-test-migrator',
  FICUS_DEBEZIUM_PASSWORD: 'compose-test-debezium', FICUS_PROXY_SHADOW_DB_PASSWORD: 'compose-test-proxy-shadow',
};

describe('docker-compose.yml', () => {
  const file = join(repoRoot, 'docker-compose.yml');
  const env = { ...process.env, ...composeSecrets };
  let compose: string[];
  before(async () => { compose = await composeCommand(); });

  it('is valid for docker compose (config -q)', async () => {
    const [cmd, ...pre] = compose;
    await run(cmd!, [...pre, '-f', file, 'config', '-q'], { env });
  });

  it('refuses to start without the secrets, naming the missing one', async () => {
    const [cmd, ...pre] = compose;
    const { FICUS_SERVICE_AUTH_SECRET: _missing, ...rest } = env;
    const err = await run(cmd!, [...pre, '-f', file, 'config', '-q'], { env: rest }).then(() => undefined, (e: { stderr: string }) => e);
    expect(err?.stderr).to.contain('FICUS_SERVICE_AUTH_SECRET');
  });

  it('takes every app secret from the environment: no public default left in the file', () => {
    const text = readFileSync(file, 'utf8');
    for (const name of Object.keys(composeSecrets)) expect(text, name).to.contain(`\${${name}:?`);
    expect(readFileSync(join(repoRoot, 'stack/config/mariadb-init.sh'), 'utf8'), 'the init script takes its passwords from the environment').not.to.match(/ficus-debezium|ficus-proxy-local/);
    for (const publicDefault of ['ficus-root', 'ficus-debezium', 'ficus-proxy-local', 'ficus-cdc-local', 'ficus-legacy-local', 'ficus-migrator-local', 'ficus-local-admin-token', 'ficus-local-client-token', 'ficus-local-proxy-admin-token', 'ficus-local-dev-service-auth-secret']) {
      expect(text, publicDefault).not.to.contain(publicDefault);
    }
  });

  it("gives the proxy's ownership user the shadow store account's password (one user, ficus_proxy)", () => {
    const text = readFileSync(file, 'utf8');
    expect(text).to.contain('FICUS_PROXY_SHADOW_DB_URL: mysql://ficus_proxy:${FICUS_PROXY_SHADOW_DB_PASSWORD:?');
    expect(text).to.contain('FICUS_PROXY_DB_PASSWORD: ${FICUS_PROXY_SHADOW_DB_PASSWORD:?');
    expect(text, 'the default user, no FICUS_PROXY_DB_USER of its own').not.to.contain('FICUS_PROXY_DB_USER');
  });

  it('has the whole stack and the apps', async () => {
    const [cmd, ...pre] = compose;
    const { stdout } = await run(cmd!, [...pre, '-f', file, 'config', '--services'], { env });
    const services = stdout.trim().split('\n');
    expect(services).to.include.members(['mariadb', 'postgres', 'kafka', 'connect', 'temporal', 'temporal-ui', 'unleash', 'legacy-monolith', 'catalog-service', 'inventory-service', 'payments-service', 'orders-service', 'saga-worker', 'cdc', 'strangler-proxy-1', 'strangler-proxy-2', 'load-balancer', 'victoria-metrics', 'jaeger', 'migration-worker', 'cockpit']);
  });

  it('starts the proxy replicas after the migration worker (it creates the ownership tables), and again if one stops early', () => {
    // the file as compose reads it: anchors, aliases and `<<` merges resolved
    const services = (parseYaml(readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, { depends_on?: Record<string, unknown>; restart?: string }> }).services;
    for (const name of ['strangler-proxy-1', 'strangler-proxy-2']) {
      expect(Object.keys(services[name]!.depends_on ?? {}), name).to.include('migration-worker');
      expect(services[name]!.restart, name).to.equal('on-failure');
    }
    expect(Object.keys(services['migration-worker']!.depends_on ?? {}), 'no cycle: the worker waits for no proxy').not.to.include.members(['strangler-proxy-1', 'strangler-proxy-2']);
  });

  it('publishes ports on 127.0.0.1 only', () => {
    const published = [...readFileSync(file, 'utf8').matchAll(/ports:\s*\[([^\]]*)\]/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim().replace(/"/g, '')));
    expect(published.length).to.be.greaterThan(5);
    for (const p of published) expect(p, p).to.match(/^127\.0\.0\.1:\d+:\d+$/);
  });
});
