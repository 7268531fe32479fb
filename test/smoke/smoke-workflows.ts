// Workflow code: deterministic only; activities are imported as types.
import { proxyActivities } from '@temporalio/workflow';
import type { SmokeActivities } from './smoke-activities.ts';

const { greet } = proxyActivities<SmokeActivities>({ startToCloseTimeout: '10 seconds' });

export async function smokeGreeting(name: string): Promise<string> {
  const greeting = await greet(name);
  return `${greeting}!`;
}
