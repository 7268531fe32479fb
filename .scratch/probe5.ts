import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
Runtime.install({ logger: new DefaultLogger('WARN') });
const addr = '127.0.0.1:' + (process.env.TP ?? '17233');
const tq = `probe5-${Date.now()}`;
const nc = await NativeConnection.connect({ address: addr });
const worker = await Worker.create({ connection: nc, taskQueue: tq, workflowsPath: fileURLToPath(new URL('./wf.ts', import.meta.url)), activities: { async noop() {} }, bundlerOptions: { ignoreModules: [] },
  ...(process.env.TUNE ? JSON.parse(process.env.TUNE) : {}) });
const run = worker.run();
const client = new Client({ connection: await Connection.connect({ address: addr }) });
const measure = async (label: string, f: (i: number) => Promise<unknown>) => {
  const t: number[] = [];
  for (let i = 0; i < 30; i++) { const t0 = performance.now(); await f(i); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b);
  console.log(`${label.padEnd(40)} p50 ${t[15]!.toFixed(1)} p90 ${t[27]!.toFixed(1)}  all ${t.map((x) => x.toFixed(0)).join(" ")}`);
};
for (const n of [0, 1, 2, 6]) await measure(`execute, ${n} LA`, (i) => client.workflow.execute('wf', { workflowId: `${tq}-e${n}-${i}`, taskQueue: tq, args: [n] }));
for (const n of [0, 1, 6]) await measure(`update-with-start, ${n} LA`, (i) => client.workflow.executeUpdateWithStart('u', { startWorkflowOperation: new WithStartWorkflowOperation('wf', { workflowId: `${tq}-u${n}-${i}`, taskQueue: tq, args: [n], workflowIdConflictPolicy: 'USE_EXISTING' }) }));
worker.shutdown(); await run; await nc.close(); process.exit(0);
