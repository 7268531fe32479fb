import { expect } from 'chai';
import { waterfallOf, type JaegerTrace } from './waterfall.ts';

const trace: JaegerTrace = {
  traceID: 'abc',
  processes: { p1: { serviceName: 'strangler-proxy' }, p2: { serviceName: 'orders-service' }, p3: { serviceName: 'saga-worker' } },
  spans: [
    { traceID: 'abc', spanID: 's3', operationName: 'RunActivity:reserveStock', references: [{ refType: 'CHILD_OF', spanID: 's2' }], startTime: 1_000_400, duration: 100, processID: 'p3', tags: [{ key: 'error', value: true }] },
    { traceID: 'abc', spanID: 's1', operationName: 'proxy orders-checkout', startTime: 1_000_000, duration: 1_000, processID: 'p1', tags: [{ key: 'ficus.route', value: 'orders-checkout' }, { key: 'span.kind', value: 'server' }] },
    { traceID: 'abc', spanID: 's2', operationName: 'POST /api/checkout', references: [{ refType: 'CHILD_OF', spanID: 's1' }], startTime: 1_000_100, duration: 800, processID: 'p2', tags: [{ key: 'http.request.method', value: 'POST' }] },
    { traceID: 'abc', spanID: 's4', operationName: 'orphan', references: [{ refType: 'CHILD_OF', spanID: 'gone' }], startTime: 1_000_050, duration: 10, processID: 'p2' },
  ],
};

describe('a trace as waterfall rows', () => {
  it('nests children under their parents in start order, with offsets from the first span', () => {
    const w = waterfallOf(trace);
    expect(w.durationUs).to.equal(1_000);
    expect(w.spans.map((s) => `${'  '.repeat(s.depth)}${s.service} ${s.operation} +${s.offsetUs}`)).to.deep.equal([
      'strangler-proxy proxy orders-checkout +0',
      '  orders-service POST /api/checkout +100',
      '    saga-worker RunActivity:reserveStock +400',
      'orders-service orphan +50',
    ]);
    expect(w.services).to.deep.equal(['strangler-proxy', 'orders-service', 'saga-worker']);
  });

  it('keeps the tags worth showing and marks errors', () => {
    const w = waterfallOf(trace);
    expect(w.spans[0]!.tags).to.deep.equal({ 'ficus.route': 'orders-checkout' });
    expect(w.spans[1]!.tags).to.deep.equal({ 'http.request.method': 'POST' });
    expect(w.spans.find((s) => s.spanId === 's3')!.error).to.equal(true);
    expect(w.spans[0]!.error).to.equal(false);
  });

  it('survives a reference cycle and an empty trace', () => {
    const cyc: JaegerTrace = { traceID: 'c', processes: {}, spans: [
      { traceID: 'c', spanID: 'a', operationName: 'a', references: [{ refType: 'CHILD_OF', spanID: 'b' }], startTime: 1, duration: 1, processID: 'x' },
      { traceID: 'c', spanID: 'b', operationName: 'b', references: [{ refType: 'CHILD_OF', spanID: 'a' }], startTime: 2, duration: 1, processID: 'x' },
    ] };
    expect(waterfallOf(cyc).spans).to.deep.equal([]);
    expect(waterfallOf({ traceID: 'e', processes: {}, spans: [] })).to.deep.equal({ traceId: 'e', durationUs: 0, services: [], spans: [] });
  });
});
