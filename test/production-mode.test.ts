import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadCatalogConfig } from '@ficus/catalog-service';
import { readProxyConfig } from '@ficus/strangler-proxy';
import { loadConfig as loadLegacyConfig } from '@ficus/legacy-monolith';
import { loadMigrationWorkerConfig } from '@ficus/workflows';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Runs `node <script>` from the repo root with exactly `env`; resolves with its exit code and output. */
const runDeployable = (script: string, env: Record<string, string>, deadlineMs = 30_000) =>
  new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [script], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${script} still running after ${deadlineMs} ms:\n${output}`)); }, deadlineMs);
    child.on('error', reject);
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, output }); });
  });

const production = { PATH: process.env.PATH ?? '', FICUS_ENV: 'production' };

describe('production mode (FICUS_ENV=production) with the public defaults', () => {
  it('the proxy refuses to start, naming each default secret, token and its own user\'s password, and not the root password it does not use', async () => {
    const { code, output } = await runDeployable('strangler-proxy/src/main.ts', production);
    expect(code, output).to.equal(1);
    expect(output).to.contain('strangler-proxy: CONFIG_UNSAFE_FOR_PRODUCTION: refusing to start with FICUS_ENV=production');
    for (const setting of ['FICUS_SERVICE_AUTH_SECRET', 'FICUS_PROXY_ADMIN_TOKEN', 'FICUS_UNLEASH_CLIENT_TOKEN', 'FICUS_PROXY_DB_PASSWORD', 'FICUS_PROXY_SHADOW_DB_URL']) {
      expect(output, setting).to.contain(`${setting} is not set, so its public development default would be used: set `);
    }
    // in production it does not provision its user at start (FICUS_PROXY_PROVISION_ON_START defaults to false there)
    expect(output, 'no root password asked for').not.to.contain('FICUS_MARIADB_ROOT_PASSWORD');
    expect(output, 'no stack trace').not.to.match(/\n\s+at /);
  });

  it('a service (catalog) refuses to start, naming each default secret and password', async () => {
    const { code, output } = await runDeployable('extracted-services/catalog/src/main.ts', production);
    expect(code, output).to.equal(1);
    expect(output).to.contain('CONFIG_UNSAFE_FOR_PRODUCTION');
    for (const setting of ['FICUS_SERVICE_AUTH_SECRET', 'CATALOG_DB_PASSWORD', 'FICUS_MARIADB_ROOT_PASSWORD']) expect(output, setting).to.contain(`${setting} is not set`);
    expect(output, 'no stack trace').not.to.match(/\\n\s+at /);
  });

  it('the monolith and the migration worker refuse to start, naming their own MariaDB user\'s password and the root password', async () => {
    const [legacy, worker] = await Promise.all([runDeployable('legacy-monolith/src/main.ts', production), runDeployable('workflows/src/migration/migration-worker.ts', production)]);
    expect(legacy.code, legacy.output).to.equal(1);
    for (const setting of ['LEGACY_DB_PASSWORD', 'FICUS_MARIADB_ROOT_PASSWORD']) expect(legacy.output, setting).to.contain(`${setting} is not set`);
    expect(worker.code, worker.output).to.equal(1);
    for (const setting of ['FICUS_MIGRATION_DB_PASSWORD', 'FICUS_MARIADB_ROOT_PASSWORD', 'FICUS_PROXY_ADMIN_TOKEN']) expect(worker.output, setting).to.contain(`${setting} is not set`);
    for (const r of [legacy, worker]) expect(r.output, 'no stack trace').not.to.match(/\n\s+at /);
  });

  describe('refuses before touching the network', () => {
    let sentinel: Server;
    let connections = 0;
    let port = 0;
    before(async () => {
      sentinel = createServer((socket) => { connections += 1; socket.destroy(); });
      await new Promise<void>((resolve) => sentinel.listen(0, '127.0.0.1', resolve));
      port = (sentinel.address() as AddressInfo).port;
    });
    after(() => new Promise<void>((resolve) => sentinel.close(() => resolve())));

    it('neither process connects to MariaDB, Unleash, Kafka, Temporal or another service', async () => {
      // every address the two processes could reach points at one listener that counts connections
      const at = `127.0.0.1:${port}`;
      const env = {
        ...production, FICUS_MARIADB_HOST: '127.0.0.1', FICUS_MARIADB_PORT: String(port), FICUS_UNLEASH_URL: `http://${at}`,
        FICUS_KAFKA_BROKERS: at, FICUS_TEMPORAL_ADDRESS: at, FICUS_CONNECT_URL: `http://${at}`, CATALOG_INVENTORY_URL: `http://${at}`,
      };
      const runs = await Promise.all([runDeployable('strangler-proxy/src/main.ts', env), runDeployable('extracted-services/catalog/src/main.ts', env)]);
      expect(runs.map((r) => r.code)).to.deep.equal([1, 1]);
      expect(connections).to.equal(0);
    });
  });

  it('with every setting given explicitly, the same config loaders pass (they connect to nothing)', () => {
    const env = {
      FICUS_ENV: 'production',
      FICUS_SERVICE_AUTH_SECRET: 'this-deployment-only-service-auth-secret-0123',
      FICUS_PROXY_ADMIN_TOKEN: 'this-deployment-only-admin-token',
      FICUS_UNLEASH_CLIENT_TOKEN: 'default:production.this-deployment-only',
      FICUS_MARIADB_ROOT_PASSWORD: 'this-deployment-only-root-password',
      CATALOG_DB_PASSWORD: 'this-deployment-only-catalog-password',
      FICUS_PROXY_SHADOW_DB_URL: 'mysql://ficus_proxy:this-deployment-only@10.0.0.5:3306/ficus_proxy',
      FICUS_PROXY_DB_PASSWORD: 'this-deployment-only',
    };
    expect(readProxyConfig(env).adminToken).to.equal(env.FICUS_PROXY_ADMIN_TOKEN);
    expect(loadCatalogConfig(env).auth.secrets).to.deep.equal([env.FICUS_SERVICE_AUTH_SECRET]);
    const { FICUS_MARIADB_ROOT_PASSWORD: _root, ...provisioned } = env;
    expect(loadCatalogConfig({ ...provisioned, CATALOG_PROVISION_ON_START: 'false' }).provisionOnStart, 'no root password needed once provisioned').to.equal(false);
    expect(() => readProxyConfig({ ...env, FICUS_PROXY_ADMIN_TOKEN: undefined })).to.throw(/FICUS_PROXY_ADMIN_TOKEN is not set/);
    // the proxy follows write ownership as its own user (ficus_proxy): no root password unless it provisions that user at start
    const proxy = readProxyConfig(provisioned);
    expect(proxy.ownership.provisionOnStart, 'production does not provision at start by default').to.equal(false);
    expect(proxy.ownership.login).to.deep.equal({ user: 'ficus_proxy', password: 'this-deployment-only' });
    expect(() => readProxyConfig({ ...provisioned, FICUS_PROXY_DB_PASSWORD: undefined })).to.throw(/FICUS_PROXY_DB_PASSWORD is not set/);
    expect(() => readProxyConfig({ ...provisioned, FICUS_PROXY_DB_PASSWORD: 'ficus-proxy-local' })).to.throw(/FICUS_PROXY_DB_PASSWORD is set to a public development value/);
    expect(() => readProxyConfig({ ...provisioned, FICUS_PROXY_PROVISION_ON_START: 'true' })).to.throw(/FICUS_MARIADB_ROOT_PASSWORD is not set.*FICUS_PROXY_PROVISION_ON_START=false/);
    expect(readProxyConfig({ ...env, FICUS_PROXY_PROVISION_ON_START: 'true' }).ownership.provisionOnStart, 'provisioning at start with the root password given').to.equal(true);
    expect(readProxyConfig({ FICUS_PROXY_PROVISION_ON_START: undefined }).ownership.provisionOnStart, 'the local default').to.equal(true);
    // once provisioned, the monolith and the migration worker run as their own users without the root password
    expect(loadLegacyConfig({ ...provisioned, LEGACY_DB_PASSWORD: 'this-deployment-only-legacy-password', LEGACY_PROVISION_ON_START: 'false', FICUS_LISTEN_HOST: '127.0.0.1' }).database.user).to.equal('ficus_legacy');
    expect(() => loadLegacyConfig({ ...provisioned, LEGACY_DB_PASSWORD: 'ficus-legacy-local', LEGACY_PROVISION_ON_START: 'false' })).to.throw(/LEGACY_DB_PASSWORD is set to a public development value/);
    const worker = { ...provisioned, FICUS_UNLEASH_ADMIN_TOKEN: '*:*.this-deployment-only', FICUS_MIGRATION_DB_PASSWORD: 'this-deployment-only-migrator', FICUS_MIGRATION_PROVISION_ON_START: 'false' };
    expect(loadMigrationWorkerConfig(worker).login.user).to.equal('ficus_migrator');
    expect(() => loadMigrationWorkerConfig({ ...worker, FICUS_MIGRATION_DB_PASSWORD: 'ficus-migrator-local' })).to.throw(/FICUS_MIGRATION_DB_PASSWORD is set to a public development value/);
    expect(readProxyConfig({ ...env, FICUS_PROXY_SHADOW_DB_URL: 'memory' }).adminToken, 'memory is a choice, not a public secret').to.equal(env.FICUS_PROXY_ADMIN_TOKEN);
    expect(() => readProxyConfig({ ...env, FICUS_PROXY_SHADOW_DB_URL: 'mysql://ficus_proxy:ficus-proxy-local@10.0.0.5:3306/ficus_proxy' }))
      .to.throw(/FICUS_PROXY_SHADOW_DB_URL is set to a public development value/);
  });
});
