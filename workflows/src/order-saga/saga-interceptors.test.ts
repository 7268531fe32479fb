import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type ActivityExecuteInput } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/client';
import type { ActivityInput, LocalActivityInput, WorkflowExecuteInput } from '@temporalio/workflow';
import { expect } from 'chai';
import { startMemoryTracing } from '@ficus/common/tracing';
import { orderSagaWorkflowsPath, sagaWorkerInterceptors } from '../create-saga-worker.ts';
import { requestIdHeader } from './request-id-header.ts';
import { currentRequestId, RequestIdActivityInbound, requestIdClientInterceptor, withRequestId } from './request-id-scope.ts';
import { interceptors } from './workflow-interceptors.ts';

const payload = (s: string) => defaultPayloadConverter.toPayload(s);
const asString = (p: unknown) => defaultPayloadConverter.fromPayload(p as never);

describe('order saga: the request id travels from the checkout to every activity', () => {
  it('client: a saga started inside withRequestId carries it in the start header (update-with-start too)', async () => {
    const c = requestIdClientInterceptor();
    const seen: Array<Record<string, unknown>> = [];
    const start = await withRequestId('req-7', () => c.start!({ headers: {} } as never, async (i) => { seen.push((i as { headers: Record<string, unknown> }).headers); return 'run'; }));
    expect(start).to.equal('run');
    await withRequestId('req-8', () => c.startUpdateWithStart!({ workflowStartHeaders: {}, updateHeaders: {} } as never, async (i) => {
      seen.push((i as { workflowStartHeaders: Record<string, unknown> }).workflowStartHeaders);
      return {} as never;
    }));
    await c.start!({ headers: {} } as never, async (i) => { seen.push((i as { headers: Record<string, unknown> }).headers); return 'run'; });
    expect(seen.map((h) => h[requestIdHeader] && asString(h[requestIdHeader]))).to.deep.equal(['req-7', 'req-8', undefined]);
  });

  it('workflow: the start header goes onto each activity and local activity it schedules (an own header wins)', async () => {
    const wf = interceptors();
    await wf.inbound![0]!.execute!({ headers: { [requestIdHeader]: payload('req-9') }, args: [] } as unknown as WorkflowExecuteInput, async () => undefined);
    const out = wf.outbound![0]!;
    const sent: Array<Record<string, unknown>> = [];
    await out.scheduleActivity!({ headers: {} } as unknown as ActivityInput, async (i) => { sent.push(i.headers); return undefined; });
    await out.scheduleLocalActivity!({ headers: { [requestIdHeader]: payload('own') } } as unknown as LocalActivityInput, async (i) => { sent.push(i.headers); return undefined; });
    expect(sent.map((h) => asString(h[requestIdHeader]))).to.deep.equal(['req-9', 'own']);
    const other = interceptors(); // another workflow execution: nothing carried over
    await other.outbound![0]!.scheduleActivity!({ headers: {} } as unknown as ActivityInput, async (i) => { sent.push(i.headers); return undefined; });
    expect(sent[2]![requestIdHeader]).to.equal(undefined);
  });

  it('activity: the header is the current request id while it runs', async () => {
    const inbound = new RequestIdActivityInbound();
    const during = await inbound.execute({ headers: { [requestIdHeader]: payload('req-10') }, args: [] } as unknown as ActivityExecuteInput, async () => currentRequestId());
    expect(during).to.equal('req-10');
    expect(await inbound.execute({ headers: {}, args: [] } as unknown as ActivityExecuteInput, async () => currentRequestId())).to.equal(undefined);
  });

  it('the committed saga histories replay with the worker\'s interceptors (request id and OpenTelemetry)', async function () {
    this.timeout(120_000);
    const mem = startMemoryTracing('saga-replay-test', 1);
    try {
      const dir = fileURLToPath(new URL('./histories/', import.meta.url));
      const histories = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => ({
        workflowId: f, history: proto.temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(`${dir}${f}`, 'utf8')) as object),
      }));
      expect(histories.length).to.be.greaterThan(0);
      const results: Array<[string, string | undefined]> = [];
      for await (const r of Worker.runReplayHistories({ workflowsPath: orderSagaWorkflowsPath, bundlerOptions: { ignoreModules: [] }, ...sagaWorkerInterceptors(mem.tracing) }, histories as never)) {
        results.push([r.workflowId, r.error?.message]);
      }
      expect(results).to.deep.equal(histories.map((h) => [h.workflowId, undefined]));
    } finally {
      await mem.tracing.shutdown();
    }
  });
});
