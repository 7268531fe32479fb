// The write switch on the real stack: the monolith, the inventory, payments and orders services and
// the order saga (Temporal) on test databases, the CDC appliers with Debezium in both directions, a
// strangler proxy following the ownership store, and shoppers buying through the proxy the whole
// time. Checkout moves to the services, back to the monolith, and to the services again.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import { createHttpClient } from '@ficus/common/testing';
import { createCdcSyncControl } from '@ficus/cdc';
import { testAdminToken, unleashAdmin } from '@ficus/strangler-proxy/testing';
import type { SagaStack } from '../../testing/saga-stack.ts';
import { sagaQuiesce, startSwitchStack, type SwitchStack } from '../testing/switch-stack.ts';
import { switchOwnership, type SwitchOutcome, type SwitchPorts } from './switch-ownership.ts';
import { verifyMigrationParity } from '../parity/verify-migration.ts';

type Shopper = Awaited<ReturnType<SagaStack['user']>> & { viaProxy: ReturnType<typeof createHttpClient> };

describe('write switch: checkout moves to the services and back under traffic, nothing oversold, lost or hidden', function () {
  this.timeout(600_000);
  let w: SwitchStack;
  let s: SwitchStack['s'];
  let ownership: SwitchStack['ownership'];
  let ports: SwitchPorts;
  let race: number;
  let plenty: number;
  const proxy = () => w.proxy;

  before(async () => {
    w = await startSwitchStack('wsw');
    ({ s, ownership, ports } = w);
    race = await s.product(1_000, 10);
    plenty = await s.product(250, 1_000_000);
  });
  after(async () => { await w?.stop(); });

  /** Every placed order is on both sides (paid in the service), and every stock level agrees, once the sync caught up. */
  const expectBothSidesAgree = async (ids: number[]) => {
    await waitFor(async () => {
      const [l, svc] = await Promise.all([
        s.dbs.legacy.knex('orders').whereIn('id', ids).count({ n: '*' }),
        s.dbs.orders.knex('orders').whereIn('id', ids).where({ status: 'paid' }).count({ n: '*' }),
      ]);
      return Number(l[0]!.n) === ids.length && Number(svc[0]!.n) === ids.length;
    }, { timeoutMs: 60_000, intervalMs: 500, what: 'every placed order on both sides' });
    await waitFor(async () => {
      const [ls, ss] = await Promise.all([
        s.dbs.legacy.knex('inventory').orderBy('product_id').select('product_id', 'quantity'),
        s.dbs.inventory.knex('stock_levels').orderBy('product_id').select('product_id', 'on_hand'),
      ]);
      return JSON.stringify(ss.map((r) => [r.product_id, r.on_hand])) === JSON.stringify(ls.map((r) => [r.product_id, r.quantity]));
    }, { timeoutMs: 60_000, intervalMs: 500, what: 'stock equal on both sides' });
  };

  /** Shoppers through the proxy: each checkout is followed by its order page (read your own write). */
  const traffic = () => {
    const shopper = async (): Promise<Shopper> => {
      const u = await s.user();
      return { ...u, viaProxy: createHttpClient(proxy().url, () => ({ cookie: [...u.legacy.cookies].map(([k, v]) => `${k}=${v}`).join('; ') })) };
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
        count(`checkout ${r.status}${r.status >= 500 ? ` ${(r.body as { error?: { code?: string } }).error?.code ?? ''}` : ''}`);
        if (r.status === 503 && (r.body as { error?: { code?: string } }).error?.code === 'PROXY_WRITES_HELD') { await new Promise((res) => setTimeout(res, 1000)); continue; } // retriable (Retry-After: 1), nothing written
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

    return { shopper, checkout, statuses, placed, setPhase: (p: string) => { phase = p; }, readMisses: () => readMisses };
  };

  it('holds writes only for the switch, serves every write on the owner and shows every user their orders on both sides', async () => {
    // the forward initial load reached the services
    await waitFor(async () => (await w.catalog.knex('products').count({ n: '*' }))[0]!.n === 2, { timeoutMs: 120_000, intervalMs: 500, what: 'the initial load in the catalog service' });

    const t = traffic();
    const { shopper, checkout, statuses, placed } = t;
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
      const out = await switchOwnership(ports, { unit: 'shop', to, domains: ['catalog', 'inventory', 'orders'], by: `e2e-${to}-${Date.now()}`, maxLagEvents: 1000, holdMs: 5_000, proxyLiveMs: 30_000, quiesce: sagaQuiesce });
      w.log.info({ out }, 'switched');
      t.setPhase(`${to} owns`);
      return out;
    };

    try {
      // 1. the hand path: a flag set to service through Unleash's API while legacy owns moves no checkout
      await unleashAdmin().setMode(w.writeFlag, 'service', 100);
      await waitFor(async () => placed.filter((p) => p.phase === 'legacy owns').length >= 8, { timeoutMs: 60_000, what: 'checkouts while legacy owns' });
      expect(await s.dbs.orders.knex('orders').whereNotNull('order_key').count({ n: '*' }).then((r) => Number(r[0]!.n)), 'saga orders while legacy owns').to.equal(0);
      // the proxy follows the flag within ~2 s and shows the disagreement; writes still go to legacy
      const checkoutRoute = async () => ((await (await fetch(`${proxy().adminUrl}/routes`, { headers: { authorization: `Bearer ${testAdminToken}` } })).json()) as { routes: Array<{ id: string; mode: string; owner: string | null; flagDisagrees: boolean }> }).routes.find((r) => r.id === 'checkout')!;
      await waitFor(async () => (await checkoutRoute()).mode === 'service', { timeoutMs: 10_000, what: 'the proxy following the write flag' });
      expect(await checkoutRoute()).to.include({ owner: 'legacy', flagDisagrees: true });
      const placedBefore = placed.length;
      await waitFor(async () => placed.length >= placedBefore + 4, { timeoutMs: 60_000, what: 'checkouts after the flag flip' });
      expect(await s.dbs.orders.knex('orders').whereNotNull('order_key').count({ n: '*' }).then((r) => Number(r[0]!.n)), 'saga orders with the flag on service while legacy owns').to.equal(0);
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
      console.log(`      write switch e2e: sold ${soldOnLegacyFirst}+${soldOnService}+${soldOnLegacyAgain}+${soldLast} of 10; writes held ${first.heldMs}/${back.heldMs}/${again.heldMs} ms (${[first, back, again].map((o) => o.steps.filter((x) => x.step === 'proxies quiet' || x.step === 'sync drained').map((x) => `${x.step} ${x.ms}`).join(' + ')).join('; ')}); answers ${JSON.stringify(Object.fromEntries(statuses))}`);
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
      expect([...statuses.keys()].filter((k) => / 5\d\d/.test(k)), JSON.stringify(Object.fromEntries(statuses))).to.deep.equal([]);
      // read your own writes: every order page right after its checkout answered 200
      expect(t.readMisses(), JSON.stringify(Object.fromEntries(statuses))).to.equal(0);

      // every order a user placed is theirs on both sides, whichever side took it
      const ids = placed.map((p) => p.orderId);
      expect(new Set(ids).size, 'order ids are unique across the switches').to.equal(ids.length);
      await expectBothSidesAgree(ids);
      for (const p of placed.filter((_, i) => i % 3 === 0)) {
        const [onLegacy, viaProxy] = await Promise.all([p.user.legacy.get(`/api/orders/${p.orderId}`), p.user.viaProxy.get(`/api/orders/${p.orderId}`)]);
        expect([onLegacy.status, viaProxy.status], `order ${p.orderId} (${p.phase})`).to.deep.equal([200, 200]);
        expect((viaProxy.body as { totalCents: number }).totalCents).to.equal((onLegacy.body as { totalCents: number }).totalCents);
      }
      expect((await ownership.get('shop'))).to.include({ owner: 'service', state: 'steady' });
    } finally {
      stop = true;
      await Promise.all(loops);
    }
  });

  it('a switch whose CDC dies while it drains, or whose worker is killed while it holds, ends switched or reverted with nothing lost', async () => {
    expect((await ownership.get('shop')).owner, 'the services own checkout after the first test').to.equal('service');
    const t = traffic();
    t.setPhase('service owns');
    let stop = false;
    const loops = (await Promise.all(Array.from({ length: 3 }, () => t.shopper()))).map(async (u) => {
      while (!stop) {
        await u.addToCart(plenty, 1);
        await t.checkout(u, plenty);
      }
    });
    const moreCheckouts = async (n: number, what: string) => {
      const before = t.placed.length;
      await waitFor(async () => t.placed.length >= before + n, { timeoutMs: 120_000, what });
    };
    const request = (to: 'legacy' | 'service', by: string, holdMs: number) => ({ unit: 'shop', to, domains: ['catalog', 'inventory', 'orders'] as const, by, maxLagEvents: 1000, holdMs, proxyLiveMs: 30_000, quiesce: sagaQuiesce });
    try {
      await moreCheckouts(3, 'checkouts on the services');

      // 1. the CDC process dies right after the hold, while the switch drains the sync into legacy
      const faulty: SwitchPorts = {
        ...ports,
        sync: createCdcSyncControl({ stack: w.stack, databases: w.databases, prefix: w.prefix, control: w.control, login: w.migrator, applyTimeoutMs: 15_000 }),
        ownership: { ...ownership, hold: async (...a: Parameters<SwitchStack['ownership']['hold']>) => { const held = await ownership.hold(...a); await w.stopCdc(); return held; } },
      };
      let first: string;
      try { first = (await switchOwnership(faulty, { ...request('legacy', 'fault-cdc', 2_000), domains: ['catalog', 'inventory', 'orders'] })).result; } catch (e) { first = (e as { code?: string }).code ?? String(e); }
      expect(first, 'the switch either completed or reverted').to.be.oneOf(['switched', 'SWITCH_REVERTED', 'CDC_DIRECTIONS_NOT_APPLIED']);
      expect((await ownership.get('shop')).state, 'never left holding').to.equal('steady');
      await w.startCdc(); // the CDC process is back
      const retried = await switchOwnership(ports, { ...request('legacy', 'fault-cdc', 5_000), domains: ['catalog', 'inventory', 'orders'] });
      expect(retried.result).to.be.oneOf(['switched', 'already']);
      expect(await ownership.get('shop')).to.include({ owner: 'legacy', state: 'steady' });
      t.setPhase('legacy owns');
      await moreCheckouts(3, 'checkouts on legacy after the CDC fault');

      // 2. the migration worker is killed (SIGKILL) while it holds the writes
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', fileURLToPath(new URL('../testing/switch-child.ts', import.meta.url))], {
        env: { ...process.env, SWITCH_CHILD: JSON.stringify({ databases: w.databases, prefix: w.prefix, ownershipDb: w.ownershipDb, controlDb: w.controlDb, login: w.migrator, request: request('service', 'fault-worker', 3_000) }) },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on('line', (l) => { if (l === 'HOLDING') resolve(); });
        child.once('exit', (code) => reject(new Error(`the switch child exited (${code}) before holding`)));
      });
      child.kill('SIGKILL');
      const held = await ownership.get('shop');
      expect(held).to.include({ owner: 'legacy', state: 'holding', by: 'fault-worker' });
      // the proxies stop holding at the deadline by themselves: writes go on, to the owner on record
      await new Promise((r) => setTimeout(r, Math.max(0, held.holdUntil! - Date.now()) + 200));
      await moreCheckouts(3, 'checkouts on legacy after the killed switch\'s deadline');
      expect(await s.dbs.orders.knex('orders').where('created_at', '>', new Date(held.updatedAt)).whereNotNull('order_key').count({ n: '*' }).then((r) => Number(r[0]!.n)), 'no saga checkout while legacy still owns').to.equal(0);
      // the activity, retried (same switch id), reverts its own hold and switches
      const resumed = await switchOwnership(ports, { ...request('service', 'fault-worker', 5_000), domains: ['catalog', 'inventory', 'orders'] });
      expect(resumed.result).to.equal('switched');
      expect(resumed.steps[0]!.step).to.equal('reverted an interrupted hold');
      t.setPhase('service owns');
      await moreCheckouts(3, 'checkouts on the services after the retried switch');
      stop = true;
      await Promise.all(loops);
      console.log(`      switch faults e2e: CDC killed while draining → ${first}, retried → ${retried.result}; worker killed while holding → retried (held ${resumed.heldMs} ms); answers ${JSON.stringify(Object.fromEntries(t.statuses))}`);

      // nothing lost, nothing doubled, no user saw a 5xx
      // a write refused at its deadline (503 PROXY_WRITES_HELD, nothing written, retried) is what a fault may
      // cost; nothing else
      expect([...t.statuses.keys()].filter((k) => / 5\d\d/.test(k) && !k.endsWith('PROXY_WRITES_HELD')), JSON.stringify(Object.fromEntries(t.statuses))).to.deep.equal([]);
      expect(t.readMisses()).to.equal(0);
      const ids = t.placed.map((p) => p.orderId);
      expect(new Set(ids).size).to.equal(ids.length);
      await expectBothSidesAgree(ids);
      const sold = await s.dbs.legacy.knex('order_items as i').join('orders as o', 'o.id', 'i.order_id').where({ 'i.product_id': plenty }).sum({ n: 'i.quantity' });
      const left = await s.dbs.legacy.knex('inventory').where({ product_id: plenty }).first('quantity');
      expect(Number(sold[0]!.n) + Number(left.quantity), 'units sold + units left = the initial stock').to.equal(1_000_000);
    } finally {
      stop = true;
      await Promise.all(loops);
    }
  });

  it('product edits, product creation and stock adjustments follow the unit\'s owner too, and both sides keep every one', async () => {
    const t = traffic();
    const admin = await t.shopper();
    await s.dbs.legacy.knex('users').where({ id: admin.id }).update({ role: 'admin' }); // before its first request through the proxy
    const owner = async () => (await ownership.get('shop')).owner;
    const edits: Array<{ side: string; productId: number; priceCents: number }> = [];
    const created: Array<{ side: string; id: number; sku: string }> = [];
    let adjustments = 0;
    const write = async (n: number) => {
      const side = await owner();
      const priceCents = 1_000 + n;
      const patch = await admin.viaProxy.request('PATCH', `/api/products/${plenty}`, { body: { priceCents } });
      expect(patch.status, JSON.stringify(patch.body)).to.equal(200);
      edits.push({ side, productId: plenty, priceCents });
      const adjust = await admin.viaProxy.post(`/api/inventory/${plenty}/adjustments`, { delta: 5, reason: `restock ${n} on ${side}` });
      expect(adjust.status, JSON.stringify(adjust.body)).to.equal(201);
      adjustments++;
      const sku = `SW-${n}-${Date.now().toString(36).toUpperCase()}`;
      const create = await admin.viaProxy.post('/api/products', { sku, name: `Switched ${n}`, description: '', priceCents: 500, categoryId: 1, initialStock: 7 });
      expect(create.status, JSON.stringify(create.body)).to.equal(201);
      created.push({ side, id: (create.body as { id: number }).id, sku });
    };
    const switchTo = (to: 'service' | 'legacy') => switchOwnership(ports, { unit: 'shop', to, domains: ['catalog', 'inventory', 'orders'], by: `e2e-catalog-${to}-${Date.now()}`, maxLagEvents: 1000, holdMs: 5_000, proxyLiveMs: 30_000, quiesce: sagaQuiesce });

    await write(1); // on the services (the last test left them owning)
    expect((await switchTo('legacy')).result).to.equal('switched');
    await write(2);
    expect((await switchTo('service')).result).to.equal('switched');
    await write(3);
    expect(edits.map((e) => e.side)).to.deep.equal(['service', 'legacy', 'service']);

    // each side has every edit, adjustment and new product, whichever side took it
    const last = edits[edits.length - 1]!;
    await waitFor(async () => {
      const [l, c] = await Promise.all([s.dbs.legacy.knex('products').where({ id: plenty }).first('price_cents'), w.catalog.knex('products').where({ id: plenty }).first('price_cents')]);
      return l?.price_cents === last.priceCents && c?.price_cents === last.priceCents;
    }, { timeoutMs: 60_000, intervalMs: 500, what: 'the last price edit on both sides' });
    const ids = created.map((c) => c.id);
    expect(new Set(ids).size, 'product ids stay unique across the switches').to.equal(ids.length);
    await waitFor(async () => {
      const [l, c, li, si] = await Promise.all([
        s.dbs.legacy.knex('products').whereIn('id', ids).count({ n: '*' }), w.catalog.knex('products').whereIn('id', ids).count({ n: '*' }),
        s.dbs.legacy.knex('inventory').whereIn('product_id', ids).where({ quantity: 7 }).count({ n: '*' }), s.dbs.inventory.knex('stock_levels').whereIn('product_id', ids).where({ on_hand: 7 }).count({ n: '*' }),
      ]);
      return [l, c, li, si].every((r) => Number(r[0]!.n) === ids.length);
    }, { timeoutMs: 60_000, intervalMs: 500, what: 'every product created through the proxy, with its stock, on both sides' });
    await waitFor(async () => {
      const [l, svc] = await Promise.all([
        s.dbs.legacy.knex('inventory_adjustments').where({ product_id: plenty }).count({ n: '*' }),
        s.dbs.inventory.knex('stock_adjustments').where({ product_id: plenty }).count({ n: '*' }),
      ]);
      return Number(l[0]!.n) === adjustments && Number(svc[0]!.n) === adjustments;
    }, { timeoutMs: 60_000, intervalMs: 500, what: 'every stock adjustment on both sides' });
    await expectBothSidesAgree([]);

    // and the migration's own parity check (chunk checksums, as its gates run it) is clean on every table of the unit
    const parity = async (service: string, tables: Array<[string, string, string]>) => verifyMigrationParity(
      { name: 'e2e', databases: { legacy: s.dbs.legacy.name, service }, tables: tables.map(([legacy, svc, mapping]) => ({ legacy, service: svc, mapping })) },
      { legacy: w.workerKnex, service: w.workerKnex }, // as the migration worker's user
    );
    const results = await Promise.all([
      parity(w.catalog.name, [['categories', 'categories', 'categoriesToCatalog'], ['products', 'products', 'productsToCatalog']]),
      parity(s.dbs.inventory.name, [['inventory', 'stock_levels', 'inventoryToStockLevels'], ['inventory_adjustments', 'stock_adjustments', 'adjustmentsToStockAdjustments']]),
      parity(s.dbs.orders.name, [['orders', 'orders', 'ordersToOrders'], ['order_items', 'order_items', 'orderItemsToOrders'], ['payments', 'order_payments', 'paymentsToOrders']]),
    ]);
    const summary = results.flatMap((r) => r.tables.map((t) => `${t.table}: ${t.clean ? 'clean' : JSON.stringify(t.differences.slice(0, 3))}`));
    expect(results.every((r) => r.clean), summary.join('; ')).to.equal(true);
    expect(results.reduce((n, r) => n + r.rowsCompared, 0)).to.be.above(0);
  });
});
