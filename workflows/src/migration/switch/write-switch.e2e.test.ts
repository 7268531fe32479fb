// The write switch on the real stack: the monolith, the inventory, payments and orders services and
// the order saga (Temporal) on test databases, the CDC appliers with Debezium in both directions, a
// strangler proxy following the ownership store, and shoppers buying through the proxy the whole
// time. Checkout moves to the services, back to the monolith, and to the services again.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  createHttpClient, createLogger, createTestDatabase, openOwnershipStore, readStackEnv, waitFor, type OwnershipStore,
} from '@ficus/common';
import {
  createConnectClient, createCdcSyncControl, createPositionChecker, createSwitchPositions, handlePositionRequest, loadCdcConfig, openCdcControl,
  startSupervisedPipelines, type Databases,
} from '@ficus/cdc';
import { migrateCatalog } from '@ficus/catalog-service';
import { readShadowConfig } from '../../../../strangler-proxy/src/shadow/shadow-config.ts';
import { startTestProxy, testAdminToken, uniqueFlag, unleashAdmin } from '../../../../strangler-proxy/src/testing/test-proxy.ts';
import { startSagaStack, stopAllSagaStacks, type SagaStack } from '../../testing/saga-stack.ts';
import { switchOwnership, type SwitchOutcome, type SwitchPorts } from './switch-ownership.ts';

type Db = Awaited<ReturnType<typeof createTestDatabase>>;
type Shopper = Awaited<ReturnType<SagaStack['user']>> & { viaProxy: ReturnType<typeof createHttpClient> };

describe('write switch: checkout moves to the services and back under traffic, nothing oversold, lost or hidden', function () {
  this.timeout(600_000);
  const stack = readStackEnv();
  const tag = randomBytes(3).toString('hex');
  const log = createLogger('write-switch-e2e');
  let s: SagaStack;
  let catalog: Db;
  let control: Awaited<ReturnType<typeof openCdcControl>>;
  let cdc: Awaited<ReturnType<typeof startSupervisedPipelines>> | undefined;
  let positionsServer: Server | undefined;
  let positionChecker: ReturnType<typeof createPositionChecker> | undefined;
  let switchPositions: ReturnType<typeof createSwitchPositions> | undefined;
  let ownership: OwnershipStore | undefined;
  let proxy: Awaited<ReturnType<typeof startTestProxy>> | undefined;
  let ports: SwitchPorts;
  let databases: Databases;
  const ownershipDb = `t_wsw_own_${tag}`;
  const controlDb = `t_wsw_cdc_${tag}`;
  const prefix = `w${tag}`;
  const readFlag = uniqueFlag('wsw-read');
  const writeFlag = uniqueFlag('wsw-write');

  before(async () => {
    s = await startSagaStack(`wsw${tag}`);
    catalog = await createTestDatabase('wsw_catalog');
    await migrateCatalog(catalog.knex);
    databases = { legacy: s.dbs.legacy.name, catalog: catalog.name, inventory: s.dbs.inventory.name, orders: s.dbs.orders.name };
    control = await openCdcControl(stack, controlDb);
    cdc = await startSupervisedPipelines({
      stack, databases, prefix, serverIdBase: 300_000 + Math.floor(Math.random() * 100_000) * 5, debezium: loadCdcConfig().debezium, control, log, pollMs: 250,
    });
    // the CDC process's position API, which the proxy asks for read-your-writes
    positionChecker = createPositionChecker({ stack, topology: () => cdc!.topology() });
    positionsServer = createServer((req, res) => { void handlePositionRequest(positionChecker!, req, res).then((handled) => { if (!handled) { res.statusCode = 404; res.end(); } }); });
    await new Promise<void>((r) => positionsServer!.listen(0, '127.0.0.1', r));
    const cdcUrl = `http://127.0.0.1:${(positionsServer.address() as AddressInfo).port}`;

    ownership = await openOwnershipStore(stack, ownershipDb);
    switchPositions = createSwitchPositions({ stack, databases, prefix, control });
    ports = { ownership, sync: createCdcSyncControl({ stack, databases, prefix, control }), positions: switchPositions };

    const admin = unleashAdmin();
    for (const f of [readFlag, writeFlag]) await admin.ensureFlag(f);
    await admin.setMode(readFlag, 'service', 100); // reads move first
    proxy = await startTestProxy({
      targets: { legacy: s.urls.legacy, orders: s.urls.orders },
      routes: [
        { id: 'orders-read', method: ['GET', 'HEAD'], path: '/api/orders/*', service: 'orders', flag: readFlag, fallbackToLegacy: false, unit: 'shop' },
        { id: 'checkout', method: 'POST', path: '/api/orders', service: 'orders', flag: writeFlag, fallbackToLegacy: false, timeoutMs: 15_000, unit: 'shop' },
      ],
      env: { FICUS_PROXY_TIMEOUT_MS: '15000', FICUS_PROXY_READ_PIN_MS: '10000' },
      extra: { ownershipStore: await openOwnershipStore(stack, ownershipDb), shadowConfig: { ...readShadowConfig(), shedFromUtilization: 1, shedFromMachineCpu: 1, cdcUrl } },
    });
  });

  after(async () => {
    await proxy?.close();
    await cdc?.stop();
    await positionChecker?.close();
    await switchPositions?.close();
    await new Promise<void>((r) => (positionsServer ? positionsServer.close(() => r()) : r()));
    if (cdc) for (const c of ['legacy', 'catalog', 'inventory', 'orders']) await createConnectClient(stack.FICUS_CONNECT_URL).deleteConnector(`${prefix}-${c}`).catch(() => undefined);
    await ownership?.knex.raw('DROP DATABASE IF EXISTS ??', [ownershipDb]).catch(() => undefined);
    await ownership?.knex.destroy();
    await control?.raw('DROP DATABASE IF EXISTS ??', [controlDb]).catch(() => undefined);
    await control?.destroy();
    await catalog?.drop();
    await stopAllSagaStacks();
  });

  it('holds writes only for the switch, serves every write on the owner and shows every user their orders on both sides', async () => {
    const race = await s.product(1_000, 10);
    const plenty = await s.product(250, 1_000_000);
    // the forward initial load reached the services
    await waitFor(async () => (await catalog.knex('products').count({ n: '*' }))[0]!.n === 2, { timeoutMs: 120_000, intervalMs: 500, what: 'the initial load in the catalog service' });

    const shopper = async (): Promise<Shopper> => {
      const u = await s.user();
      return { ...u, viaProxy: createHttpClient(proxy!.url, () => ({ cookie: [...u.legacy.cookies].map(([k, v]) => `${k}=${v}`).join('; ') })) };
    };
    const statuses = new Map<string, number>();
    const count = (what: string) => statuses.set(what, (statuses.get(what) ?? 0) + 1);
    const placed: Array<{ user: Shopper; orderId: number; productId: number; phase: string }> = [];
    let phase = 'legacy owns';
    let readMisses = 0;

    /** One checkout through the proxy and, on success, the order page right after it (read your own write). */
    const checkout = async (u: Shopper, productId: number) => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const r = await u.viaProxy.post('/api/orders');
        count(`checkout ${r.status}`);
        if (r.status === 503 && (r.body as { error?: { code?: string } }).error?.code === 'PROXY_WRITES_HELD') continue; // retriable, nothing written
        if (r.status !== 201) return r.status;
        const orderId = (r.body as { id: number }).id;
        placed.push({ user: u, orderId, productId, phase });
        const read = await u.viaProxy.get(`/api/orders/${orderId}`);
        count(`read ${read.status}`);
        if (read.status !== 200) readMisses++;
        return 201;
      }
      return 503;
    };

    // background shoppers buy a plentiful product the whole time
    let stop = false;
    const background = await Promise.all(Array.from({ length: 4 }, () => shopper()));
    const loops = background.map(async (u) => {
      while (!stop) {
        await u.addToCart(plenty, 1);
        await checkout(u, plenty);
      }
    });
    const raceFor = async (n: number) => {
      const racers = await Promise.all(Array.from({ length: n }, () => shopper()));
      for (const r of racers) await r.addToCart(race, 1);
      const results = await Promise.all(racers.map((r) => checkout(r, race)));
      return results.filter((x) => x === 201).length;
    };
    const switchTo = async (to: 'service' | 'legacy'): Promise<SwitchOutcome> => {
      const out = await switchOwnership(ports, { unit: 'shop', to, domains: ['catalog', 'inventory', 'orders'], by: `e2e-${to}-${Date.now()}`, maxLagEvents: 1000, holdMs: 5_000, proxyLiveMs: 30_000 });
      log.info({ out }, 'switched');
      phase = `${to} owns`;
      return out;
    };

    try {
      // 1. the hand path: a flag set to service through Unleash's API while legacy owns moves no checkout
      await unleashAdmin().setMode(writeFlag, 'service', 100);
      await waitFor(async () => placed.filter((p) => p.phase === 'legacy owns').length >= 8, { timeoutMs: 60_000, what: 'checkouts while legacy owns' });
      expect(await s.dbs.orders.knex('orders').whereNotNull('order_key').count({ n: '*' }).then((r) => Number(r[0]!.n)), 'saga orders while legacy owns').to.equal(0);
      const routes = (await (await fetch(`${proxy!.adminUrl}/routes`, { headers: { authorization: `Bearer ${testAdminToken}` } })).json()) as { routes: Array<{ id: string; owner: string | null; flagDisagrees: boolean }> };
      expect(routes.routes.find((r) => r.id === 'checkout')).to.include({ owner: 'legacy', flagDisagrees: true });
      const soldOnLegacyFirst = await raceFor(4);

      // 2. to the services, shoppers still buying
      const first = await switchTo('service');
      expect(first.result).to.equal('switched');
      expect(first.heldMs).to.be.below(5_000);
      await waitFor(async () => placed.filter((p) => p.phase === 'service owns').length >= 6, { timeoutMs: 120_000, what: 'checkouts on the services' });
      expect(await s.dbs.orders.knex('orders').whereNotNull('order_key').count({ n: '*' }).then((r) => Number(r[0]!.n)), 'saga orders once the services own checkout').to.be.above(0);
      const soldOnService = await raceFor(12);

      // 3. rollback, shoppers still buying: the monolith sees every unit the services sold
      const back = await switchTo('legacy');
      expect(back.result).to.equal('switched');
      const ordersBefore = placed.length;
      await waitFor(async () => placed.length >= ordersBefore + 6, { timeoutMs: 60_000, what: 'checkouts on legacy again' });
      const soldOnLegacyAgain = await raceFor(6);

      // 4. and to the services again
      const again = await switchTo('service');
      expect(again.result).to.equal('switched');
      const ordersAgain = placed.length;
      await waitFor(async () => placed.length >= ordersAgain + 4, { timeoutMs: 120_000, what: 'checkouts on the services again' });
      const soldLast = await raceFor(3);
      stop = true;
      await Promise.all(loops);

      // nothing oversold: every race together sold at most the 10 units, and exactly what stock says
      const sold = soldOnLegacyFirst + soldOnService + soldOnLegacyAgain + soldLast;
      // one line for the record: what the switches cost the users of the moving routes
      console.log(`      write switch e2e: sold ${soldOnLegacyFirst}+${soldOnService}+${soldOnLegacyAgain}+${soldLast} of 10; writes held ${first.heldMs}/${back.heldMs}/${again.heldMs} ms; answers ${JSON.stringify(Object.fromEntries(statuses))}`);
      expect(sold).to.equal(10);
      // both sides agree once the sync has caught up
      await waitFor(async () => {
        const [l, svc] = await Promise.all([
          s.dbs.legacy.knex('inventory').where({ product_id: race }).first('quantity'),
          s.dbs.inventory.knex('stock_levels').where({ product_id: race }).first('on_hand', 'reserved'),
        ]);
        return l?.quantity === 0 && svc?.on_hand === 0 && svc?.reserved === 0;
      }, { timeoutMs: 60_000, intervalMs: 500, what: 'the race product sold out on both sides' });
      const soldInLegacy = await s.dbs.legacy.knex('order_items as i').join('orders as o', 'o.id', 'i.order_id').where({ 'i.product_id': race, 'o.status': 'paid' }).sum({ n: 'i.quantity' });
      expect(Number(soldInLegacy[0]!.n), 'units of the race product in legacy orders').to.equal(10);

      // no user saw a 5xx: a held write waited, none was turned away
      expect([...statuses.keys()].filter((k) => / 5\d\d$/.test(k)), JSON.stringify(Object.fromEntries(statuses))).to.deep.equal([]);
      // read your own writes: every order page right after its checkout answered 200
      expect(readMisses, JSON.stringify(Object.fromEntries(statuses))).to.equal(0);

      // every order a user placed is theirs on both sides, whichever side took it
      const ids = placed.map((p) => p.orderId);
      expect(new Set(ids).size, 'order ids are unique across the switches').to.equal(ids.length);
      await waitFor(async () => {
        const [l, svc] = await Promise.all([
          s.dbs.legacy.knex('orders').whereIn('id', ids).count({ n: '*' }),
          s.dbs.orders.knex('orders').whereIn('id', ids).where({ status: 'paid' }).count({ n: '*' }),
        ]);
        return Number(l[0]!.n) === ids.length && Number(svc[0]!.n) === ids.length;
      }, { timeoutMs: 60_000, intervalMs: 500, what: 'every placed order on both sides' });
      for (const p of placed.filter((_, i) => i % 3 === 0)) {
        const [onLegacy, viaProxy] = await Promise.all([p.user.legacy.get(`/api/orders/${p.orderId}`), p.user.viaProxy.get(`/api/orders/${p.orderId}`)]);
        expect([onLegacy.status, viaProxy.status], `order ${p.orderId} (${p.phase})`).to.deep.equal([200, 200]);
        expect((viaProxy.body as { totalCents: number }).totalCents).to.equal((onLegacy.body as { totalCents: number }).totalCents);
      }
      // stock of every product agrees
      const [ls, ss] = await Promise.all([
        s.dbs.legacy.knex('inventory').orderBy('product_id').select('product_id', 'quantity'),
        s.dbs.inventory.knex('stock_levels').orderBy('product_id').select('product_id', 'on_hand'),
      ]);
      expect(ss.map((r) => [r.product_id, r.on_hand])).to.deep.equal(ls.map((r) => [r.product_id, r.quantity]));
      expect((await ownership!.get('shop'))).to.include({ owner: 'service', state: 'steady' });
    } finally {
      stop = true;
      await Promise.all(loops);
    }
  });
});
