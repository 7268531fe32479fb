import { condition, defineUpdate, setHandler, proxyLocalActivities, allHandlersFinished } from '@temporalio/workflow';
const la = proxyLocalActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '5s' });
export const u = defineUpdate<string>('u');
export async function wf(n: number): Promise<void> {
  let done = false;
  setHandler(u, async () => { await condition(() => done); return 'ok'; });
  for (let i = 0; i < n; i++) await la.noop();
  done = true;
  await condition(allHandlersFinished);
}
