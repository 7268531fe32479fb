import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { expect } from 'chai';
import express from 'express';
import type { Knex } from 'knex';
import { listenEphemeral } from '../testing/listen.ts';
import { requestId } from '../http/request-id.ts';
import { traceRequests } from './express-tracing.ts';
import { traceKnex } from './knex-tracing.ts';
import { startTracing, type Tracing } from './start-tracing.ts';
import { isValidTraceparent, parseTraceparent, traceparentSampled, unsampledTraceparent } from './traceparent.ts';
import { readTracingConfig } from './tracing-config.ts';
import { traceUndici } from './undici-tracing.ts';

const clientTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
const clientSpan = '00f067aa0ba902b7';

describe('tracing: configuration', () => {
  it('is off unless FICUS_TRACING=on; defaults to the stack\'s Jaeger and every new trace', () => {
    expect(readTracingConfig({}, 'orders-service')).to.deep.equal({
      enabled: false, serviceName: 'orders-service', tracesUrl: 'http://127.0.0.1:14318/v1/traces', sampleRatio: 1,
    });
    const c = readTracingConfig({ FICUS_TRACING: 'on', FICUS_TRACING_SAMPLE_RATIO: '0.01', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://10.0.0.9:4318/', OTEL_SERVICE_NAME: 'orders-eu' }, 'orders-service');
    expect(c).to.deep.equal({ enabled: true, serviceName: 'orders-eu', tracesUrl: 'http://10.0.0.9:4318/v1/traces', sampleRatio: 0.01 });
    expect(readTracingConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/custom' }, 'x').tracesUrl).to.equal('http://collector:4318/custom');
  });

  it('refuses bad values with TRACING_CONFIG_INVALID, one line per variable', () => {
    let thrown: unknown;
    try { readTracingConfig({ FICUS_TRACING: 'yes', FICUS_TRACING_SAMPLE_RATIO: '2', OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318' }, 'x'); } catch (e) { thrown = e; }
    const e = thrown as { code: string; message: string };
    expect(e.code).to.equal('TRACING_CONFIG_INVALID');
    expect(e.message).to.contain('FICUS_TRACING: expected on or off');
    expect(e.message).to.contain('FICUS_TRACING_SAMPLE_RATIO: expected a number from 0 to 1');
    expect(e.message).to.contain('OTEL_EXPORTER_OTLP_ENDPOINT: expected an http(s) URL');
  });

  it('sends spans to Zipkin too when FICUS_TRACING_ZIPKIN_URL names one; off or empty is OTLP only', () => {
    expect(readTracingConfig({ FICUS_TRACING: 'on', FICUS_TRACING_ZIPKIN_URL: 'http://127.0.0.1:19411/' }, 'x').zipkinSpansUrl).to.equal('http://127.0.0.1:19411/api/v2/spans');
    expect(readTracingConfig({ FICUS_TRACING_ZIPKIN_URL: 'https://zipkin.example/base/api/v2/spans' }, 'x').zipkinSpansUrl).to.equal('https://zipkin.example/base/api/v2/spans');
    for (const none of ['', 'off']) expect(readTracingConfig({ FICUS_TRACING_ZIPKIN_URL: none }, 'x'), none).not.to.have.property('zipkinSpansUrl');
    for (const bad of ['127.0.0.1:19411', 'http://zipkin:9411/?x=1', 'on']) {
      let thrown: unknown;
      try { readTracingConfig({ FICUS_TRACING_ZIPKIN_URL: bad }, 'x'); } catch (e) { thrown = e; }
      expect((thrown as { code?: string }).code, bad).to.equal('TRACING_CONFIG_INVALID');
      expect((thrown as Error).message, bad).to.contain('FICUS_TRACING_ZIPKIN_URL: expected off or an http(s) base URL');
    }
  });
});

describe('tracing: a second backend over Zipkin', () => {
  const exporter = new InMemorySpanExporter();
  const posted: Array<{ path: string; spans: Array<{ traceId: string; name: string; localEndpoint?: { serviceName?: string } }> }> = [];
  let zipkinServer: Server;
  let tracing: Tracing;
  before(async () => {
    zipkinServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); }).on('end', () => { posted.push({ path: req.url ?? '', spans: JSON.parse(body) as never }); res.writeHead(202).end(); });
    });
    await new Promise<void>((r) => zipkinServer.listen(0, '127.0.0.1', r));
    const config = readTracingConfig({ FICUS_TRACING: 'on', FICUS_TRACING_ZIPKIN_URL: `http://127.0.0.1:${(zipkinServer.address() as AddressInfo).port}` }, 'zipkin-test');
    tracing = startTracing(config, { exporter, simple: true })!;
  });
  after(async () => { await tracing.shutdown(); await new Promise((r) => zipkinServer.close(r)); });

  it('exports each recorded span to OTLP and to Zipkin\'s /api/v2/spans; an unsampled one reaches neither', async () => {
    const remote = (flags: number) => trace.setSpanContext(context.active(), { traceId: clientTrace, spanId: clientSpan, traceFlags: flags, isRemote: true });
    context.with(remote(1), () => tracing.tracer.startSpan('GET /api/products').end());
    context.with(remote(0), () => tracing.tracer.startSpan('GET /unsampled').end());
    await tracing.flush();
    const deadline = Date.now() + 5_000;
    while (!posted.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(exporter.getFinishedSpans().map((s) => s.name)).to.deep.equal(['GET /api/products']);
    const zipkinSpans = posted.flatMap((p) => p.spans);
    expect(posted.map((p) => p.path)).to.deep.equal(['/api/v2/spans']);
    expect(zipkinSpans.map((s) => [s.traceId, s.name, s.localEndpoint?.serviceName])).to.deep.equal([[clientTrace, 'GET /api/products', 'zipkin-test']]);
  });
});

describe('tracing: traceparent', () => {
  it('reads valid version-00 values only', () => {
    expect(parseTraceparent(`00-${clientTrace}-${clientSpan}-01`)).to.deep.equal({ traceId: clientTrace, spanId: clientSpan, sampled: true });
    expect(parseTraceparent(`00-${clientTrace}-${clientSpan}-00`)?.sampled).to.equal(false);
    for (const bad of [undefined, '', `00-${clientTrace}-${clientSpan}-1`, `00-${'0'.repeat(32)}-${clientSpan}-01`, `00-${clientTrace}-${'0'.repeat(16)}-01`, `00-${clientTrace.toUpperCase()}-${clientSpan}-01`, `00-${clientTrace}-${clientSpan}-0x`]) {
      expect(parseTraceparent(bad), String(bad)).to.equal(undefined);
      expect(isValidTraceparent(bad), String(bad)).to.equal(false);
    }
    expect(traceparentSampled(`00-${clientTrace}-${clientSpan}-03`)).to.equal(true);
  });

  it('makes a new unsampled one per call', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const t = unsampledTraceparent();
      expect(isValidTraceparent(t), t).to.equal(true);
      expect(t.endsWith('-00')).to.equal(true);
      seen.add(t.slice(3, 35));
    }
    expect(seen.size).to.equal(500);
  });
});

describe('tracing: the hooks, exported to memory', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let untraceUndici: () => void;
  before(() => {
    tracing = startTracing({ enabled: true, serviceName: 'tracing-test', tracesUrl: 'http://127.0.0.1:1/v1/traces', sampleRatio: 1 }, { exporter, simple: true })!;
    untraceUndici = traceUndici();
  });
  after(async () => { untraceUndici(); await tracing.shutdown(); });
  beforeEach(() => exporter.reset());

  it('express: a server span per request, child of the caller\'s traceparent, named by route, active in the handler', async () => {
    const app = express();
    app.use(requestId());
    app.use(traceRequests());
    let activeInHandler: string | undefined;
    app.get('/api/things/:id', (_req, res) => { activeInHandler = trace.getActiveSpan()?.spanContext().spanId; res.status(503).json({}); });
    const { baseUrl, close } = await listenEphemeral(app);
    try {
      await fetch(`${baseUrl}/api/things/7`, { headers: { traceparent: `00-${clientTrace}-${clientSpan}-01`, 'x-request-id': 'req-42' } });
      const [span] = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.SERVER);
      expect(span?.name).to.equal('GET /api/things/:id');
      expect(span!.spanContext().traceId).to.equal(clientTrace);
      expect(span!.parentSpanId).to.equal(clientSpan);
      expect(span!.attributes).to.include({ 'http.route': '/api/things/:id', 'http.response.status_code': 503, 'ficus.request_id': 'req-42' });
      expect(span!.status.code).to.equal(2);
      expect(activeInHandler).to.equal(span!.spanContext().spanId);
    } finally { await close(); }
  });

  it('express: an unsampled caller records nothing', async () => {
    const app = express();
    app.use(traceRequests());
    app.get('/x', (_req, res) => { res.json({}); });
    const { baseUrl, close } = await listenEphemeral(app);
    try {
      await fetch(`${baseUrl}/x`, { headers: { traceparent: `00-${clientTrace}-${clientSpan}-00` } });
      expect(exporter.getFinishedSpans()).to.deep.equal([]);
    } finally { await close(); }
  });

  it('knex: a span per query inside a recorded span, an error status on failure, none outside', () => {
    const knex = new EventEmitter() as unknown as Knex;
    traceKnex(knex, 'svc_orders');
    const emit = (knex as unknown as EventEmitter).emit.bind(knex);
    emit('query', { __knexQueryUid: 'outside', sql: 'select 1' });
    emit('query-response', [], { __knexQueryUid: 'outside' });
    const parent = tracing.tracer.startSpan('work');
    context.with(trace.setSpan(context.active(), parent), () => {
      emit('query', { __knexQueryUid: 'q1', sql: 'insert into `orders` (`id`) values (?)' });
      emit('query', { __knexQueryUid: 'q2', sql: 'select * from missing' });
    });
    emit('query-response', [], { __knexQueryUid: 'q1' });
    emit('query-error', Object.assign(new Error('no such table'), { code: 'ER_NO_SUCH_TABLE' }), { __knexQueryUid: 'q2' });
    parent.end();
    const db = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
    expect(db.map((s) => s.name)).to.deep.equal(['INSERT svc_orders', 'SELECT svc_orders']);
    expect(db.every((s) => s.parentSpanId === parent.spanContext().spanId)).to.equal(true);
    expect(db[0]!.attributes).to.include({ 'db.system': 'mariadb', 'db.namespace': 'svc_orders', 'db.query.text': 'insert into `orders` (`id`) values (?)' });
    expect(db[1]!.status.code).to.equal(2);
    expect(db[1]!.attributes['error.type']).to.equal('ER_NO_SUCH_TABLE');
  });

  it('undici: fetch carries the active context and gets a client span; a caller\'s own traceparent is kept', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server: Server = createServer((req, res) => { seen.push(req.headers); res.end('ok'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/internal/reservations/k1`;
    try {
      const parent = tracing.tracer.startSpan('activity');
      await context.with(trace.setSpan(context.active(), parent), async () => {
        await (await fetch(url, { method: 'PUT' })).text();
        await (await fetch(url, { headers: { traceparent: `00-${clientTrace}-${clientSpan}-01` } })).text();
      });
      parent.end();
      await (await fetch(url)).text(); // no active span: nothing added
      const client = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT);
      expect(client).to.have.length(1);
      expect(client[0]!.attributes).to.include({ 'http.request.method': 'PUT', 'http.response.status_code': 200 });
      expect(client[0]!.parentSpanId).to.equal(parent.spanContext().spanId);
      expect(seen[0]!.traceparent).to.equal(`00-${parent.spanContext().traceId}-${client[0]!.spanContext().spanId}-01`);
      expect(seen[1]!.traceparent).to.equal(`00-${clientTrace}-${clientSpan}-01`);
      expect(seen[2]!.traceparent).to.equal(undefined);
    } finally { await new Promise((r) => server.close(r)); }
  });
});
