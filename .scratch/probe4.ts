import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
Runtime.install({ logger: new DefaultLogger('WARN') });
const tq = `probe4-${Date.now()}`;
const nc = await NativeConnection.connect({ address: '127.0.0.1:' + (process.env.TP ?? '17233') + '' });
const worker = await Worker.create({ connection: nc, taskQueue: tq, workflowsPath: fileURLToPath(new URL('./wf.ts', import.meta.url)), activities: { async noop() {} }, bundlerOptions: { ignoreModules: [] } });
const run = worker.run();
const client = new Client({ connection: await Connection.connect({ address: '127.0.0.1:' + (process.env.TP ?? '17233') + '' }) });
for (const n of [0, 1, 6]) {
  const t: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const start = new WithStartWorkflowOperation('wf', { workflowId: `${tq}-${n}-${i}`, taskQueue: tq, args: [n], workflowIdConflictPolicy: 'USE_EXISTING' });
    await client.workflow.executeUpdateWithStart('u', { startWorkflowOperation: start });
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  console.log(`${n} local activities: update-with-start p50 ${t[15]!.toFixed(1)} p90 ${t[27]!.toFixed(1)}`);
}
{
  const t: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await client.workflow.start('wf', { workflowId: `${tq}-s-${i}`, taskQueue: tq, args: [0] });
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  console.log(`plain start p50 ${t[15]!.toFixed(1)} p90 ${t[27]!.toFixed(1)}`);
}
worker.shutdown(); await run; await nc.close(); process.exit(0);
