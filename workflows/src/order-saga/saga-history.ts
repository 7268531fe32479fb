import type { Client } from '@temporalio/client';
import { sagaSearchAttributes } from './saga-types.ts';

export interface SagaStepRecord {
  activity: string;
  kind: 'action' | 'compensation' | 'notification';
  status: 'scheduled' | 'running' | 'completed' | 'failed' | 'timed out' | 'cancelled';
  /** A local activity (run inside a workflow task, recorded as a marker once it ended) or a scheduled one. */
  local: boolean;
  attempts: number;
  startedAt: string | undefined;
  endedAt: string | undefined;
  failure: string | undefined;
}

export interface SagaReport {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  startTime: string;
  closeTime: string | undefined;
  orderId: string | undefined;
  userId: string | undefined;
  failure: string | undefined;
  steps: SagaStepRecord[];
}

const placeOrderCompensations = new Set(['releaseStock', 'voidPayment', 'refundPayment', 'markOrderFailed', 'restockStock']);
const iso = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  (t?.seconds === undefined || t.seconds === null ? undefined : new Date(Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString());

/** What the SDK's core records about a local activity (the marker's `data` payload, JSON). */
interface LocalActivityMarkerData {
  activity_type?: string;
  attempt?: number;
  original_schedule_time?: { seconds?: number; nanos?: number } | null;
  complete_time?: { seconds?: number; nanos?: number } | null;
}
const localActivityMarker = 'core_local_activity';
const markerData = (details: Record<string, { payloads?: Array<{ data?: Uint8Array | null }> | null }> | null | undefined): LocalActivityMarkerData | undefined => {
  const data = details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  try { return JSON.parse(Buffer.from(data).toString('utf8')) as LocalActivityMarkerData; } catch { return undefined; }
};

/**
 * A saga's steps from its event history (works for running and closed workflows, with or without
 * a worker): each activity with its outcome and attempts, compensations marked as such.
 */
export const readSagaReport = async (client: Client, workflowId: string): Promise<SagaReport> => {
  const handle = client.workflow.getHandle(workflowId);
  const d = await handle.describe();
  const history = await handle.fetchHistory();
  const byScheduledId = new Map<string, SagaStepRecord>();
  const steps: SagaStepRecord[] = [];
  let failure: string | undefined;
  const kindOf = (activity: string): SagaStepRecord['kind'] =>
    (activity === 'notifyCustomer' ? 'notification' : d.type === 'placeOrder' && placeOrderCompensations.has(activity) ? 'compensation' : 'action');
  for (const e of history.events ?? []) {
    const at = iso(e.eventTime);
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === localActivityMarker) {
      const m = markerData(marker.details as never);
      const activity = m?.activity_type ?? '?';
      steps.push({
        activity, kind: kindOf(activity), local: true, status: marker.failure ? 'failed' : 'completed', attempts: m?.attempt ?? 1,
        startedAt: iso(m?.original_schedule_time), endedAt: iso(m?.complete_time) ?? at, failure: marker.failure?.cause?.message ?? marker.failure?.message ?? undefined,
      });
      continue;
    }
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const activity = scheduled.activityType?.name ?? '?';
      const s: SagaStepRecord = { activity, kind: kindOf(activity), local: false, status: 'scheduled', attempts: 0, startedAt: at, endedAt: undefined, failure: undefined };
      byScheduledId.set(String(e.eventId), s);
      steps.push(s);
      continue;
    }
    const started = e.activityTaskStartedEventAttributes;
    if (started) {
      const s = byScheduledId.get(String(started.scheduledEventId));
      if (s) { s.status = 'running'; s.attempts = started.attempt ?? 1; }
      continue;
    }
    const ended = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
    if (ended) {
      const s = byScheduledId.get(String(ended.scheduledEventId));
      if (!s) continue;
      s.endedAt = at;
      if (e.activityTaskCompletedEventAttributes) s.status = 'completed';
      else if (e.activityTaskFailedEventAttributes) { s.status = 'failed'; s.failure = e.activityTaskFailedEventAttributes.failure?.message ?? undefined; }
      else if (e.activityTaskTimedOutEventAttributes) { s.status = 'timed out'; s.failure = e.activityTaskTimedOutEventAttributes.failure?.message ?? undefined; }
      else s.status = 'cancelled';
      continue;
    }
    const failed = e.workflowExecutionFailedEventAttributes;
    if (failed) failure = [failed.failure?.applicationFailureInfo?.type, failed.failure?.message].filter(Boolean).join(': ');
  }
  const attr = (name: string) => {
    const v = d.searchAttributes?.[name];
    return Array.isArray(v) && v.length ? String(v[0]) : undefined;
  };
  return {
    workflowId, runId: d.runId, type: d.type, status: d.status.name, startTime: d.startTime.toISOString(), closeTime: d.closeTime?.toISOString(),
    orderId: attr(sagaSearchAttributes.orderId), userId: attr(sagaSearchAttributes.userId), failure, steps,
  };
};

/** Workflow ids of the sagas of an order (PlaceOrder and CancelOrder), found by the FicusOrderId search attribute. */
export const findSagasOfOrder = async (client: Client, orderId: string, o: { taskQueue?: string } = {}): Promise<Array<{ workflowId: string; type: string; startTime: Date }>> => {
  const found: Array<{ workflowId: string; type: string; startTime: Date }> = [];
  const clean = (v: string) => v.replace(/'/g, '');
  const query = `${sagaSearchAttributes.orderId} = '${clean(orderId)}'${o.taskQueue ? ` AND TaskQueue = '${clean(o.taskQueue)}'` : ''}`;
  for await (const w of client.workflow.list({ query })) {
    found.push({ workflowId: w.workflowId, type: w.type, startTime: w.startTime });
  }
  return found.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
};
