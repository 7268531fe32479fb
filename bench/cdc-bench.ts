// CDC benchmark (issue 7): sustained legacy writes at a fixed rate, then one bulk change; prints
// end-to-end lag percentiles (write commit → applied in the service database) and apply throughput.
// Real stack only (./ficus stack up); everything on 127.0.0.1; stops by itself.
// Usage: ./ficus bench cdc  or  node bench/cdc-bench.ts [--rate 1000] [--seconds 60] [--bulk 100000]
//          [--tracing]  the sustained phase alternates 5 s windows of writes without and with a
//                       sampled span each (their trace in the binlog comment, an apply span per write
//                       in the appliers, both exported to the stack's Jaeger): lag and this process's
//                       CPU per update (writer and appliers) compared side by side in one run
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createLogger, readStackEnv, waitFor } from '@ficus/common';
import { readTracingConfig, startTracing, withActiveSpan, type Tracing } from '@ficus/common/tracing';
import { createTestDatabase } from '@ficus/common/testing';
import { debeziumUser } from '@ficus/stack';
import { applyLegacySchema } from '@ficus/legacy-monolith';
import { applyCatalogSchema } from '@ficus/catalog-service';
import { applyInventorySchema } from '@ficus/inventory-service';
import { cdcTopicPartitions, connectAll, createConnectClient, defaultTopology, kafkaFor, startPipelines, topicOf, type PlannedBatch } from '@ficus/cdc';
import { provisionCdcForTest } from '@ficus/cdc/testing';

const { values: args } = parseArgs({ options: { rate: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '60' }, bulk: { type: 'string', default: '100000' }, tracing: { type: 'boolean', default: false } } });
const rate = Number(args.rate), seconds = Number(args.seconds), bulk = Number(args.bulk);
const windowMs = 5_000;
/** With --tracing: the writes of odd windows are traced (window 0 is not). */
const tracedAt = (t0: number, at: number) => args.tracing && Math.floor((at - t0) / windowMs) % 2 === 1;
const stack = readStackEnv();
const prefix = `b${randomBytes(3).toString('hex')}`;
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN; };

const [legacy, catalog, inventory] = await Promise.all([createTestDatabase('bench_legacy'), createTestDatabase('bench_catalog'), createTestDatabase('bench_inventory')]);
const topology = defaultTopology({ legacy: legacy.name, catalog: catalog.name, inventory: inventory.name }, prefix);
let running: Awaited<ReturnType<typeof startPipelines>> | undefined;
const tracing: Tracing | undefined = args.tracing
  ? startTracing(readTracingConfig({ ...process.env, FICUS_TRACING: 'on', FICUS_TRACING_SAMPLE_RATIO: '1', OTEL_EXPORTER_OTLP_ENDPOINT: stack.FICUS_OTLP_HTTP_ENDPOINT }, 'cdc-bench'))
  : undefined;
let cdcUser: Awaited<ReturnType<typeof provisionCdcForTest>> | undefined;
try {
  await applyLegacySchema(legacy.knex);
  await Promise.all([applyCatalogSchema(catalog.knex), applyInventorySchema(inventory.knex)]);
  const [cat] = await legacy.knex('categories').insert({ name: 'Bench', slug: 'bench' });
  const rows = Math.max(bulk, 10_000);
  for (let i = 0; i < rows; i += 5000) {
    await legacy.knex('products').insert(Array.from({ length: Math.min(5000, rows - i) }, (_, k) => ({ sku: `B-${i + k}`, name: `bench ${i + k}`, description: 'bench', category_id: cat, price_cents: 100 })));
  }
  console.log(`setup: ${rows} legacy products`);

  // lag samples: a row's updated_at is its write time (ms); applied time comes from the applier
  let lags: number[] = [];
  const lagsBy = { plain: [] as number[], traced: [] as number[] };
  let sustainedFrom = Infinity;
  let applied = 0;
  let firstApplyAt = 0, lastApplyAt = 0, bulkCommittedAt = Infinity;
  const onApplied = (stream: string, plan: PlannedBatch, at: number) => {
    if (!stream.endsWith('products->products')) return;
    applied += plan.upserts.size;
    for (const r of plan.upserts.values()) {
      const wrote = (r.updated_at as Date).getTime();
      lags.push(at - wrote);
      if (args.tracing && wrote >= sustainedFrom) (tracedAt(sustainedFrom, wrote) ? lagsBy.traced : lagsBy.plain).push(at - wrote);
    }
    if (at < bulkCommittedAt) return; // late batches of the sustained phase are not the bulk's
    firstApplyAt ||= at;
    lastApplyAt = at;
  };
  topology.connectors[0]!.serverId = 150_000 + Math.floor(Math.random() * 30_000);
  const t0 = Date.now();
  cdcUser = await provisionCdcForTest(stack, { databases: { legacy: legacy.name, catalog: catalog.name, inventory: inventory.name } });
  await connectAll(topology, stack, debeziumUser);
  running = await startPipelines(topology, stack, cdcUser.login, createLogger('cdc-bench'), undefined, onApplied);
  await waitFor(async () => Number((await catalog.knex('products').count({ n: '*' }))[0]!.n) === rows, { timeoutMs: 600_000, intervalMs: 250, what: 'initial snapshot' });
  const snapshotS = (Date.now() - t0) / 1000;
  console.log(`initial snapshot: ${rows} rows in ${snapshotS.toFixed(1)} s = ${Math.round(rows / snapshotS)} rows/s (connector start included)`);

  // sustained: `rate` single-row updates per second for `seconds`, paced in 10 ms slices
  lags = [];
  const perSlice = rate / 100;
  const end = Date.now() + seconds * 1000;
  let written = 0, next = Date.now();
  sustainedFrom = Date.now();
  const cpuBy = { plain: { us: 0, n: 0 }, traced: { us: 0, n: 0 } };
  while (Date.now() < end) {
    const ids = Array.from({ length: Math.round(perSlice) }, () => 1 + Math.floor(Math.random() * rows));
    const now = new Date();
    const traced = tracedAt(sustainedFrom, now.getTime());
    const cpu0 = process.cpuUsage();
    const update = (id: number) => legacy.knex('products').where({ id }).update({ price_cents: Math.floor(Math.random() * 1e6), updated_at: now });
    // traced: each update in a sampled span of its own, as a traced request's write (knex builders run when awaited)
    await Promise.all(ids.map((id) => (traced && tracing
      ? tracing.tracer.startActiveSpan('bench write', async (span) => { try { return await withActiveSpan(span, async () => await update(id)); } finally { span.end(); } })
      : update(id))));
    if (args.tracing) {
      const c = process.cpuUsage(cpu0);
      const w = traced ? cpuBy.traced : cpuBy.plain;
      w.us += c.user + c.system;
      w.n += ids.length;
    }
    written += ids.length;
    next += 10;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const achieved = written / seconds;
  await waitFor(() => lags.length >= written * 0.99, { timeoutMs: 120_000, what: 'sustained writes applied' });
  console.log(`sustained: ${written} updates at ${achieved.toFixed(0)}/s for ${seconds} s → end-to-end lag p50 ${pct(lags, 50)} ms, p99 ${pct(lags, 99)} ms, max ${pct(lags, 100)} ms (${lags.length} samples)`);
  if (args.tracing) {
    const { plain, traced } = lagsBy;
    console.log(`tracing, side by side (alternate ${windowMs / 1000} s windows; traced: a sampled span per write, an apply span per write, exported to Jaeger): lag p50 ${pct(plain, 50)} → ${pct(traced, 50)} ms, p99 ${pct(plain, 99)} → ${pct(traced, 99)} ms (${plain.length} / ${traced.length} samples)`);
    console.log(`tracing: this process's CPU while writing (writer and appliers; the windows' own slices): ${(cpuBy.plain.us / cpuBy.plain.n).toFixed(0)} → ${(cpuBy.traced.us / cpuBy.traced.n).toFixed(0)} µs per update = ×${((cpuBy.traced.us / cpuBy.traced.n) / (cpuBy.plain.us / cpuBy.plain.n)).toFixed(2)}`);
  }

  // bulk: one statement changes `bulk` rows
  const before = applied;
  const admin = kafkaFor(stack, 'cdc-bench').admin();
  await admin.connect();
  const productsTopic = topicOf(topology.connectors[0]!, 'products');
  const endOffsets = async () => (await admin.fetchTopicOffsets(productsTopic)).reduce((n, o) => n + Number(o.high), 0);
  const emittedBefore = await endOffsets();
  const tb = Date.now();
  await legacy.knex('products').where('id', '<=', bulk).update({ price_cents: legacy.knex.raw('price_cents + 1'), updated_at: new Date() });
  const committed = Date.now();
  bulkCommittedAt = committed;
  const emitted = waitFor(async () => (await endOffsets()) - emittedBefore >= bulk, { timeoutMs: 600_000, intervalMs: 100, what: 'bulk change in Kafka' }).then(() => Date.now());
  await waitFor(() => applied - before >= bulk, { timeoutMs: 600_000, intervalMs: 100, what: 'bulk change applied' });
  const applyS = (Date.now() - committed) / 1000;
  const emitS = ((await emitted) - committed) / 1000;
  await admin.disconnect();
  console.log(`bulk: Debezium had all ${bulk} events in Kafka ${emitS.toFixed(1)} s after commit (${Math.round(bulk / emitS)} events/s)`);
  console.log(`bulk: ${bulk} rows changed in ${((committed - tb) / 1000).toFixed(1)} s at the source; applied in ${applyS.toFixed(1)} s after commit = ${Math.round(bulk / applyS)} rows/s end to end`);
  console.log(`bulk: the appliers, from their first to their last batch: ${Math.round(bulk / ((lastApplyAt - firstApplyAt) / 1000))} rows/s (${cdcTopicPartitions} partitions applied in parallel)`);
  console.log(`peak RSS of the bench process (applier + load generator): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  await tracing?.shutdown();
  await running?.stop();
  await cdcUser?.drop();
  for (const c of topology.connectors) await createConnectClient(stack.FICUS_CONNECT_URL).deleteConnector(c.name).catch(() => undefined);
  await Promise.all([legacy.drop(), catalog.drop(), inventory.drop()]);
}
