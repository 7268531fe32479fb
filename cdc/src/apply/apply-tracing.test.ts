import { expect } from 'chai';
import { startMemoryTracing } from '@ficus/common/tracing';
import { startApplySpans, tracedWrites } from './apply-tracing.ts';
import type { TracedChange } from './plan-batch.ts';

const writeA = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true };
const writeB = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '11f067aa0ba902b7', sampled: true };
const change = (trace: TracedChange['trace'], op: TracedChange['op'], offset: string): TracedChange => ({ trace, op, offset, sourceTs: Date.now() - 50 });
const scope = { stream: 'legacy.categories->categories', sourceTable: 'legacy.categories', targetTable: 'categories', targetDatabase: 'svc_catalog', topic: 'ficus.legacy.categories', partition: 2, groupId: 'ficus-catalog-forward' };

describe('cdc: apply spans in the write\'s trace', () => {
  it('groups a batch\'s traced changes by the write that made them, in offset order', () => {
    const ws = tracedWrites([change(writeA, 'c', '10'), change(writeB, 'u', '11'), change(writeA, 'u', '12'), change(writeA, 'c', '13')]);
    expect(ws.map((w) => [w.first.offset, w.ops, w.count])).to.deep.equal([['10', ['c', 'u'], 3], ['11', ['u'], 1]]);
  });

  it('without tracing: no span, nothing to end', () => {
    const end = startApplySpans([change(writeA, 'c', '1')], scope, Date.now());
    expect(() => end()).not.to.throw();
  });

  describe('with tracing on (in memory)', () => {
    let mem: ReturnType<typeof startMemoryTracing>;
    before(() => { mem = startMemoryTracing('cdc-test', 1); });
    after(() => mem.tracing.shutdown());
    beforeEach(() => mem.reset());

    it('one CONSUMER span per write, child of the write\'s span, with the source, target, op and Kafka position', () => {
      const began = Date.now() - 20;
      startApplySpans([change(writeA, 'c', '40'), change(writeA, 'c', '41'), change(writeB, 'd', '42')], scope, began)();
      const spans = mem.spans();
      expect(spans.map((s) => s.name)).to.deep.equal(['cdc apply categories', 'cdc apply categories']);
      const [a, b] = spans;
      expect(a!.kind).to.equal(4); // SpanKind.CONSUMER
      expect(a!.spanContext().traceId).to.equal(writeA.traceId);
      expect(a!.parentSpanId).to.equal(writeA.spanId);
      expect(b!.parentSpanId).to.equal(writeB.spanId);
      expect(a!.startTime[0] * 1000 + a!.startTime[1] / 1e6).to.be.closeTo(began, 1);
      expect(a!.attributes).to.include({
        'messaging.system': 'kafka', 'messaging.destination.name': 'ficus.legacy.categories', 'messaging.destination.partition.id': '2',
        'messaging.kafka.offset': 40, 'messaging.batch.message_count': 2, 'messaging.consumer.group.name': 'ficus-catalog-forward',
        'ficus.cdc.source_table': 'legacy.categories', 'ficus.cdc.target_table': 'svc_catalog.categories', 'ficus.cdc.op': 'c',
      });
      expect(a!.attributes['ficus.cdc.lag_ms']).to.be.at.least(50);
      expect(b!.attributes).to.include({ 'messaging.kafka.offset': 42, 'ficus.cdc.op': 'd' });
    });

    it('no traced change, no span; a failed apply ends its spans with an error', () => {
      startApplySpans([], scope, Date.now())();
      expect(mem.spans()).to.deep.equal([]);
      startApplySpans([change(writeA, 'u', '7')], scope, Date.now())(Object.assign(new Error('lock wait'), { code: 'ER_LOCK_WAIT_TIMEOUT' }));
      const [s] = mem.spans();
      expect(s!.status).to.deep.include({ code: 2, message: 'lock wait' });
      expect(s!.attributes['error.type']).to.equal('ER_LOCK_WAIT_TIMEOUT');
    });
  });
});
