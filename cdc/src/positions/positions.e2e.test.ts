import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, isFicusError, readStackEnv, waitFor } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { debeziumUser } from '@ficus/stack';
import { applyLegacySchema, seedLegacy } from '@ficus/legacy-monolith';
import { applyCatalogSchema } from '@ficus/catalog-service';
import { applyInventorySchema } from '@ficus/inventory-service';
import { createConnectClient } from '../connectors/connect-client.ts';
import { connectAll, startPipelines } from '../pipelines/cdc-runtime.ts';
import { defaultTopology } from '../pipelines/pipelines.ts';
import { createPositionChecker, type PositionChecker } from './position-checker.ts';
import { handlePositionRequest } from './positions-http.ts';
import { provisionCdcForTest } from '../testing/cdc-test-login.ts';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;

describe('cdc positions: "has position X been applied?" on the real stack', () => {
  const stack = readStackEnv();
  const prefix = `p${randomBytes(3).toString('hex')}`;
  const log = createLogger('positions-test');
  let legacy: Db, catalog: Db, inventory: Db;
  let running: Awaited<ReturnType<typeof startPipelines>> | undefined;
  let cdcUser: Awaited<ReturnType<typeof provisionCdcForTest>> | undefined;
  let topology: ReturnType<typeof defaultTopology>;
  let checker: PositionChecker;
  let server: Server;
  let base = '';

  before(async function () {
    this.timeout(180_000);
    [legacy, catalog, inventory] = await Promise.all([createTestDatabase('pos_legacy'), createTestDatabase('pos_catalog'), createTestDatabase('pos_inventory')]);
    await applyLegacySchema(legacy.knex);
    await seedLegacy(legacy.knex, { profile: 'small', seed: 11 });
    await Promise.all([applyCatalogSchema(catalog.knex), applyInventorySchema(inventory.knex)]);
    topology = defaultTopology({ legacy: legacy.name, catalog: catalog.name, inventory: inventory.name }, prefix, undefined, 60_000 + Math.floor(Math.random() * 40_000));
    cdcUser = await provisionCdcForTest(stack, { databases: { legacy: legacy.name, catalog: catalog.name, inventory: inventory.name } });
    await connectAll(topology, stack, debeziumUser);
    running = await startPipelines(topology, stack, cdcUser.login, log);
    const n = async (k: Db['knex']) => Number((await k('products').count({ n: '*' }))[0]!.n);
    const total = await n(legacy.knex);
    await waitFor(async () => (await n(catalog.knex)) === total, { timeoutMs: 120_000, what: 'initial snapshot in the catalog' });
    checker = createPositionChecker({ stack, login: cdcUser.login, control: cdcUser.control, topology: () => topology });
    server = createServer((req, res) => { void handlePositionRequest(checker, req, res).then((handled) => { if (!handled) { res.statusCode = 404; res.end(); } }); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server?.close();
    await running?.stop();
    await checker?.close();
    for (const c of topology?.connectors ?? []) await createConnectClient(stack.FICUS_CONNECT_URL).deleteConnector(c.name).catch(() => undefined);
    await cdcUser?.drop();
    await Promise.all([legacy, catalog, inventory].map((d) => d?.drop()));
  });

  it('says "not yet" while the applier is stopped, and "applied" only once the row is in the service', async function () {
    this.timeout(120_000);
    await running!.stop();
    running = undefined;
    const [product] = await legacy.knex('products').orderBy('id').limit(1).select('id', 'price_cents');
    const price = Number(product.price_cents) + 4242;
    await legacy.knex('products').where({ id: product.id }).update({ price_cents: price, updated_at: new Date() });
    const position = await checker.current();
    expect(position).to.match(/^\d+-\d+-\d+/);

    // the connector reads the change and commits its offset past the position; nothing applies it
    const pending = await waitFor(async () => { const a = await checker.applied(`${prefix}-catalog-forward`, position); return a.connectors.every((c) => c.covered) ? a : undefined; }, { timeoutMs: 30_000, what: 'connector offset past the position' });
    expect(pending.applied).to.equal(false);
    expect(pending.partitions.some((p) => !p.through)).to.equal(true);
    expect((await catalog.knex('products').where({ id: product.id }).first('price_cents')).price_cents).to.not.equal(price);

    running = await startPipelines(topology, stack, cdcUser!.login, log);
    // the domain name finds the forward pipeline that writes the catalog service's database
    await waitFor(async () => (await checker.applied('catalog', position)).applied, { timeoutMs: 60_000, intervalMs: 50, what: 'position applied' });
    // "applied" is a promise about the data: the row is there at once, without waiting
    expect((await catalog.knex('products').where({ id: product.id }).first('price_cents')).price_cents).to.equal(price);
  });

  it('answers over HTTP, with stable codes for bad input', async () => {
    const current = (await (await fetch(`${base}/positions/current`)).json()) as { position: string };
    expect(current.position).to.match(/^\d+-\d+-\d+/);
    const ok = await fetch(`${base}/positions/applied?pipeline=inventory&position=${encodeURIComponent(current.position)}`);
    expect(ok.status).to.equal(200);
    expect(((await ok.json()) as { pipeline: string }).pipeline).to.equal(`${prefix}-inventory-forward`);
    const bad = await fetch(`${base}/positions/applied?pipeline=catalog&position=yesterday`);
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal('CDC_POSITION_INVALID');
    const unknown = await fetch(`${base}/positions/applied?pipeline=payments&position=0-1-1`);
    expect(unknown.status).to.equal(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).to.equal('CDC_UNKNOWN_PIPELINE');
    let err: unknown;
    try { await checker.applied('catalog', '0-1'); } catch (e) { err = e; }
    expect(isFicusError(err) && err.code).to.equal('CDC_POSITION_INVALID');
  });
});
