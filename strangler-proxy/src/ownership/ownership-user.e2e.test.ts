// The proxy follows write ownership as its own MariaDB user (decision 0018, "Proxy") on the real
// MariaDB: provisioned at start, it follows a hold and a flip as before and reports and forgets
// itself; the user can do nothing else there; a user not provisioned, a wrong password or an ownership
// database nobody provisioned stop the start with OWNERSHIP_NOT_PROVISIONED naming what to run.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { isFicusError, mariadbRootConnection, readStackEnv, waitFor } from '@ficus/common/core';
import { openOwnershipStore, provisionOwnership, type OwnershipStore } from '@ficus/common/ownership';
import { startTestProxy, uniqueFlag } from '../testing/test-proxy.ts';
import { startTestBackend, type TestBackend } from '../testing/test-backend.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** `node strangler-proxy/src/provision.ts` with `env` on top of this process's; its exit code and output. */
const runProvision = (env: Record<string, string>) => new Promise<{ code: number | null; output: string }>((resolve, reject) => {
  const child = spawn(process.execPath, ['strangler-proxy/src/provision.ts'], { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
  const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`provision.ts still running after 30 s:\n${output}`)); }, 30_000);
  child.on('error', reject);
  child.on('exit', (code) => { clearTimeout(timer); resolve({ code, output }); });
});

const failureOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe("the proxy follows write ownership as its own least-privilege MariaDB user", function () {
  this.timeout(60_000);
  const stack = readStackEnv();
  const tag = randomBytes(3).toString('hex');
  const database = `t_pown_${tag}`;
  const login = { user: `t_proxy_${tag}`, password: `t-proxy-${tag}-pw` };
  const ungranted = { user: `t_proxy_${tag}_b`, password: `t-proxy-${tag}-pw-b` };
  const flag = uniqueFlag('own-user');
  const routes = [{ id: 'things-write', method: 'POST', path: '/api/things', service: 'svc', flag, fallbackToLegacy: false, unit: 'shop' }];
  let admin: Knex;
  let owners: OwnershipStore;
  let legacy: TestBackend;
  let service: TestBackend;

  const proxyEnv = (l: { user: string; password: string }, more: Record<string, string> = {}) => ({
    FICUS_OWNERSHIP_DATABASE: database, FICUS_PROXY_DB_USER: l.user, FICUS_PROXY_DB_PASSWORD: l.password,
    FICUS_PROXY_PROVISION_ON_START: 'true', FICUS_PROXY_OWNERSHIP_POLL_MS: '50', ...more,
  });
  const start = (env: Record<string, string>) => startTestProxy({ targets: { legacy: legacy.origin, svc: service.origin }, routes, env });
  const post = (url: string) => fetch(`${url}/api/things`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

  before(async () => {
    admin = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack), pool: { min: 0, max: 1 } });
    await provisionOwnership(stack, database);
    // the switch's side of the record, as root here (the migration worker has its own user and tests)
    owners = await openOwnershipStore(stack, database);
    [legacy, service] = await Promise.all([startTestBackend('legacy'), startTestBackend('svc')]);
  });
  after(async () => {
    await Promise.all([legacy?.close(), service?.close()]);
    await owners?.knex.destroy();
    for (const u of [login.user, ungranted.user]) await admin.raw(`DROP USER IF EXISTS ?@'%'`, [u]);
    await admin.raw('DROP DATABASE IF EXISTS ??', [database]);
    await admin.destroy();
  });

  it('provisions its user at start, follows a hold and a flip, and reports and then forgets itself', async () => {
    const proxy = await start(proxyEnv(login));
    try {
      const before = await post(proxy.url);
      expect(before.headers.get('x-backend'), 'legacy owns at first').to.equal('legacy');
      const held = await owners.hold('shop', 'legacy', 15_000, 'ownership-user e2e');
      // the report (an upsert: INSERT, then UPDATE) says it follows the hold
      await waitFor(async () => (await owners.proxies()).some((r) => r.proxyId === proxy.proxyId && r.seen.shop === held.version), { timeoutMs: 5_000, intervalMs: 50, what: 'the proxy reporting the hold' });
      // legacy still owns during the hold: a write that went on would land there; it waits, and goes to the new owner
      const during = post(proxy.url);
      await waitFor(() => proxy.writeGate!.waiting() === 1, { timeoutMs: 5_000, intervalMs: 20, what: 'the write waiting at the proxy' });
      expect(legacy.seen, 'nothing sent to legacy while held').to.have.length(1);
      await owners.release('shop', 'service', 'ownership-user e2e', 'flip to the service');
      const flipped = await during;
      expect(flipped.headers.get('x-backend'), 'the held write goes to the new owner').to.equal('svc');
      expect((await post(proxy.url)).headers.get('x-backend')).to.equal('svc');
      expect(legacy.seen.filter((r) => r.method === 'POST')).to.have.length(1);
    } finally {
      await proxy.close();
    }
    expect((await owners.proxies()).map((r) => r.proxyId), 'its report deleted at shutdown').to.not.include(proxy.proxyId);
  });

  it('its user reads the units and writes its own report, nothing more: no owner, no log, no DDL', async () => {
    const asProxy = knexFactory({ client: 'mysql2', connection: { host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, user: login.user, password: login.password, database }, pool: { min: 0, max: 1 } });
    try {
      expect((await asProxy('ownership_units').select('owner').where({ unit: 'shop' }))[0]).to.deep.equal({ owner: 'service' });
      const refused = async (sql: string) => {
        const e = await failureOf(asProxy.raw(sql)) as { code?: string } | undefined;
        expect(e?.code, sql).to.be.oneOf(['ER_TABLEACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR']);
      };
      await refused("UPDATE ownership_units SET owner = 'legacy' WHERE unit = 'shop'");
      await refused("INSERT INTO ownership_units (unit, owner, state, version, by_who, updated_at) VALUES ('other', 'service', 'steady', 1, 'x', NOW())");
      await refused("DELETE FROM ownership_units WHERE unit = 'shop'");
      await refused('SELECT * FROM ownership_log');
      await refused("INSERT INTO ownership_log (unit, version, owner, state, by_who, note, at) VALUES ('shop', 9, 'legacy', 'steady', 'x', 'x', NOW())");
      await refused('SELECT * FROM ownership_knex_migrations');
      await refused('DROP TABLE ownership_proxies');
      await refused('ALTER TABLE ownership_units ADD COLUMN x INT');
      await refused('CREATE TABLE sneaky (id INT PRIMARY KEY)');
      const [grants] = (await asProxy.raw('SHOW GRANTS')) as [Array<Record<string, string>>];
      expect(grants.map((g) => Object.values(g)[0]!.replace(/ IDENTIFIED BY .*/, '')).sort()).to.deep.equal([
        `GRANT SELECT ON \`${database}\`.\`ownership_units\` TO \`${login.user}\`@\`%\``,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON \`${database}\`.\`ownership_proxies\` TO \`${login.user}\`@\`%\``,
        `GRANT USAGE ON *.* TO \`${login.user}\`@\`%\``,
      ].sort());
    } finally {
      await asProxy.destroy();
    }
    expect((await owners.get('shop')).owner, 'the owner on record is unchanged').to.equal('service');
  });

  it('a user that lacks a grant stops the start with OWNERSHIP_NOT_PROVISIONED until provision.ts grants it', async () => {
    await admin.raw(`CREATE USER IF NOT EXISTS ?@'%' IDENTIFIED BY ?`, [ungranted.user, ungranted.password]);
    await admin.raw(`GRANT SELECT ON ??.ownership_units TO ?@'%'`, [database, ungranted.user]);
    // no UPDATE: the report's upsert would fail on its second beat
    await admin.raw(`GRANT SELECT, INSERT, DELETE ON ??.ownership_proxies TO ?@'%'`, [database, ungranted.user]);
    const e = await failureOf(start(proxyEnv(ungranted, { FICUS_PROXY_PROVISION_ON_START: 'false' })));
    expect(isFicusError(e) && e.code, String(e)).to.equal('OWNERSHIP_NOT_PROVISIONED');
    expect((e as Error).message).to.contain(ungranted.user).and.contain('lacks a grant').and.contain('UPDATE command denied').and.contain('node strangler-proxy/src/provision.ts');

    const run = await runProvision({ FICUS_OWNERSHIP_DATABASE: database, FICUS_PROXY_DB_USER: ungranted.user, FICUS_PROXY_DB_PASSWORD: ungranted.password });
    expect(run.code, run.output).to.equal(0);
    expect(run.output).to.contain("proxy's MariaDB user provisioned on the ownership database and checked");
    const proxy = await start(proxyEnv(ungranted, { FICUS_PROXY_PROVISION_ON_START: 'false' }));
    await proxy.close();
  });

  it('a wrong password or an ownership database nobody provisioned stop the start and provision.ts, naming what to run', async () => {
    const wrong = await failureOf(start(proxyEnv({ ...login, password: 'not-its-password' }, { FICUS_PROXY_PROVISION_ON_START: 'false' })));
    expect(isFicusError(wrong) && wrong.code, String(wrong)).to.equal('OWNERSHIP_NOT_PROVISIONED');
    expect((wrong as Error).message).to.contain(login.user).and.contain('FICUS_PROXY_DB_PASSWORD');

    const nowhere = `${database}_none`;
    for (const provisionOnStart of ['true', 'false']) {
      const e = await failureOf(start(proxyEnv(login, { FICUS_OWNERSHIP_DATABASE: nowhere, FICUS_PROXY_PROVISION_ON_START: provisionOnStart })));
      expect(isFicusError(e) && e.code, `${provisionOnStart}: ${String(e)}`).to.equal('OWNERSHIP_NOT_PROVISIONED');
      expect((e as Error).message, provisionOnStart).to.contain(nowhere).and.contain('node workflows/src/migration/provision.ts');
    }
    const run = await runProvision({ FICUS_OWNERSHIP_DATABASE: nowhere, FICUS_PROXY_DB_USER: login.user, FICUS_PROXY_DB_PASSWORD: login.password });
    expect(run.code, run.output).to.equal(1);
    expect(run.output).to.contain('OWNERSHIP_NOT_PROVISIONED').and.contain('node workflows/src/migration/provision.ts');
    expect(run.output, 'no stack trace').to.not.match(/\n\s+at /);
    const [dbs] = (await admin.raw('SHOW DATABASES LIKE ?', [nowhere])) as [unknown[]];
    expect(dbs, 'the proxy creates no database').to.have.length(0);
  });
});
