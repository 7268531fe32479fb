import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { mariadbRootConnection, readStackEnv, waitFor } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import {
  parseTraceparent, readTracingConfig, startConsumerSpan, startTracing, traceKnex, unsampledTraceparent, withActiveSpan, withSqlTraceComments, type Span, type Tracing,
} from '@ficus/common/tracing';
import { debeziumUser } from '@ficus/stack';
import { applyLegacySchema } from '@ficus/legacy-monolith';
import { applyCatalogSchema } from '@ficus/catalog-service';
import { applyInventorySchema } from '@ficus/inventory-service';
import { createConnectClient } from '../connectors/connect-client.ts';
import { connectAll } from '../pipelines/cdc-runtime.ts';
import { defaultTopology } from '../pipelines/pipelines.ts';
import { provisionCdcForTest } from '../testing/cdc-test-login.ts';

interface JaegerSpan { traceID: string; spanID: string; operationName: string; processID: string; references: Array<{ refType: string; traceID: string; spanID: string }>; tags: Array<{ key: string; value: unknown }> }
interface JaegerTrace { spans: JaegerSpan[]; processes: Record<string, { serviceName: string }> }

type Db = Awaited<ReturnType<typeof createTestDatabase>>;
const childScript = fileURLToPath(new URL('../testing/pipelines-child.ts', import.meta.url));

describe('tracing: a change the CDC applies is in the trace of the write that made it (e2e, Jaeger)', function () {
  this.timeout(240_000);
  const stack = readStackEnv();
  const prefix = `tr${randomBytes(3).toString('hex')}`;
  let legacy: Db, catalog: Db, inventory: Db;
  let topology: ReturnType<typeof defaultTopology>;
  let cdcUser: Awaited<ReturnType<typeof provisionCdcForTest>> | undefined;
  let child: ChildProcess | undefined;
  let tracing: Tracing | undefined;
  /** The monolith's way of writing: knex-tracing's DB spans, writes commented with their traceparent. */
  let writer: Knex;

  before(async function () {
    this.timeout(240_000);
    tracing = startTracing(readTracingConfig({ ...process.env, FICUS_TRACING: 'on', FICUS_TRACING_SAMPLE_RATIO: '1', OTEL_EXPORTER_OTLP_ENDPOINT: stack.FICUS_OTLP_HTTP_ENDPOINT }, 'ficus-e2e-writer'));
    [legacy, catalog, inventory] = await Promise.all([createTestDatabase('trc_legacy'), createTestDatabase('trc_catalog'), createTestDatabase('trc_inventory')]);
    await applyLegacySchema(legacy.knex);
    await applyCatalogSchema(catalog.knex);
    await applyInventorySchema(inventory.knex);
    writer = knexFactory({ client: 'mysql2', connection: { ...mariadbRootConnection(stack, legacy.name), timezone: 'Z' }, pool: withSqlTraceComments({ min: 0, max: 2 }) });
    traceKnex(writer, legacy.name);
    topology = defaultTopology({ legacy: legacy.name, catalog: catalog.name, inventory: inventory.name }, prefix);
    topology.connectors[0]!.serverId = 250_000 + Math.floor(Math.random() * 40_000);
    cdcUser = await provisionCdcForTest(stack, { databases: { legacy: legacy.name, catalog: catalog.name, inventory: inventory.name } });
    await connectAll(topology, stack, debeziumUser);
    // the appliers in a process of their own, traced like the CDC process (service `cdc`): the
    // write's context reaches them only through the binlog
    const c = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', childScript], {
      env: {
        ...process.env, FICUS_TRACING: 'on', FICUS_TRACING_SAMPLE_RATIO: '1', OTEL_EXPORTER_OTLP_ENDPOINT: stack.FICUS_OTLP_HTTP_ENDPOINT,
        CDC_TEST_TOPOLOGY: JSON.stringify({ legacy: legacy.name, catalog: catalog.name, inventory: inventory.name, prefix, login: cdcUser.login }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = c;
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: c.stdout! }).on('line', (l) => { if (l === 'ready') resolve(); });
      c.once('exit', (code) => reject(new Error(`applier process exited with ${code} before it was ready`)));
    });
  });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    for (const c of topology?.connectors ?? []) await createConnectClient(stack.FICUS_CONNECT_URL).deleteConnector(c.name).catch(() => undefined);
    await writer?.destroy();
    await cdcUser?.drop();
    await Promise.all([legacy, catalog, inventory].map((d) => d?.drop()));
    await tracing?.shutdown();
  });

  /** Runs `fn` with a new span active: recorded (sampled) or a context that is not. */
  const inSpan = async <T>(sampled: boolean, fn: () => Promise<T>): Promise<{ span: Span; result: T }> => {
    // unsampled: a request that came with a `-00` traceparent (a child of it records nothing)
    const span = sampled ? tracing!.tracer.startSpan('e2e write') : startConsumerSpan(parseTraceparent(unsampledTraceparent())!, 'e2e write', {})!;
    expect(span.isRecording()).to.equal(sampled);
    // knex builders run when awaited: await inside, while the span is active
    try { return { span, result: await withActiveSpan(span, async () => await fn()) }; } finally { span.end(); }
  };
  const fetchTrace = async (traceId: string): Promise<JaegerTrace | undefined> => {
    const r = await fetch(`${stack.FICUS_JAEGER_URL}/api/traces/${traceId}`);
    return r.ok ? ((await r.json()) as { data?: JaegerTrace[] }).data?.[0] : undefined;
  };
  const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;
  const categoryIn = (db: Db, id: number) => db.knex('categories').where({ id }).first('id', 'name');

  it('a write in a sampled span: the applier\'s `cdc apply categories` span is a child of the write\'s INSERT span, in the same trace', async () => {
    const slug = `traced-${prefix}`;
    const { span: write, result: [id] } = await inSpan(true, () => writer('categories').insert({ name: 'Traced', slug }));
    await tracing!.flush();
    await waitFor(async () => (await categoryIn(catalog, id!)) !== undefined, { timeoutMs: 120_000, intervalMs: 300, what: 'the category applied to the catalog' });

    const traceId = write.spanContext().traceId;
    let names: string[] = [];
    const t = await waitFor(async () => {
      const found = await fetchTrace(traceId);
      names = found?.spans.map((s) => s.operationName) ?? [];
      return found?.spans.some((s) => s.operationName === 'cdc apply categories') && names.includes(`INSERT ${legacy.name}`) ? found : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500, what: `a cdc apply span in Jaeger's trace ${traceId}` }).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; found: ${names.join(', ')}`);
    });
    const insert = t.spans.find((s) => s.operationName === `INSERT ${legacy.name}`)!;
    const applies = t.spans.filter((s) => s.operationName === 'cdc apply categories');
    expect(applies).to.have.length(1);
    const apply = applies[0]!;
    expect(insert.references).to.deep.include({ refType: 'CHILD_OF', traceID: traceId, spanID: write.spanContext().spanId });
    expect(apply.traceID).to.equal(traceId);
    expect(apply.references).to.deep.equal([{ refType: 'CHILD_OF', traceID: traceId, spanID: insert.spanID }]);
    expect(t.processes[apply.processID]!.serviceName).to.equal('cdc');
    expect(t.processes[insert.processID]!.serviceName).to.equal('ficus-e2e-writer');
    expect(tag(apply, 'span.kind')).to.equal('consumer');
    expect(tag(apply, 'ficus.cdc.op')).to.equal('c');
    expect(tag(apply, 'ficus.cdc.source_table')).to.equal(`${legacy.name}.categories`);
    expect(tag(apply, 'ficus.cdc.target_table')).to.equal(`${catalog.name}.categories`);
    expect(tag(apply, 'messaging.destination.name')).to.equal(`${topology.connectors[0]!.topicPrefix}.${legacy.name}.categories`);
    expect(tag(apply, 'messaging.destination.partition.id')).to.be.a('string');
    expect(tag(apply, 'messaging.kafka.offset')).to.be.a('number');
  });

  it('a write in an unsampled span is applied and makes no apply span', async () => {
    const slug = `untraced-${prefix}`;
    const { span: unsampled, result: [id] } = await inSpan(false, () => writer('categories').insert({ name: 'Untraced', slug }));
    await waitFor(async () => (await categoryIn(catalog, id!))?.name === 'Untraced', { timeoutMs: 120_000, intervalMs: 300, what: 'the unsampled category applied to the catalog' });
    // a sampled write of the same row comes after it in the same partition: once its apply span is
    // in Jaeger, any span of the earlier change would have been exported with it or before
    const { span: later } = await inSpan(true, () => writer('categories').where({ id }).update({ name: 'Untraced, then traced' }));
    await tracing!.flush();
    const t = await waitFor(async () => {
      const found = await fetchTrace(later.spanContext().traceId);
      return found?.spans.some((s) => s.operationName === 'cdc apply categories') ? found : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500, what: 'the later sampled write\'s apply span' });
    expect(tag(t.spans.find((s) => s.operationName === 'cdc apply categories')!, 'ficus.cdc.op')).to.equal('u');
    expect((await categoryIn(catalog, id!))?.name).to.equal('Untraced, then traced');
    const none = await fetchTrace(unsampled.spanContext().traceId);
    expect(none?.spans.map((s) => s.operationName) ?? []).to.deep.equal([]);
  });
});
