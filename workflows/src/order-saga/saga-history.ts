import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { sagaSearchAttributes } from './saga-types.ts';

const EventType = proto.temporal.api.enums.v1.EventType;

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
type Timestamp = { seconds?: unknown; nanos?: number | null } | null | undefined;
/** A protobuf timestamp in milliseconds (NaN when absent). */
const millis = (t: Timestamp) => (t?.seconds === undefined || t.seconds === null ? NaN : Number(t.seconds) * 1000 + (t.nanos ?? 0) / 1e6);
const iso = (t: Timestamp) => { const ms = millis(t); return Number.isNaN(ms) ? undefined : new Date(Math.floor(ms)).toISOString(); };

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

/** Where a checkout saga's time goes, from the event histories of several PlaceOrder runs. */
export interface SagaTimings {
  workflows: number;
  /** Per phase, the median over the workflows, in milliseconds. */
  medianMs: Record<string, number>;
}

/**
 * The phases of each PlaceOrder run since `since` on a task queue (optionally one user's): start to
 * the first workflow task, each local activity (from one step's scheduling to the next's, so the
 * workflow code between them is counted with the step), the decision (the update's completion),
 * and what follows the answer (the email's wait and run, the close). Medians over the runs.
 */
export const readSagaTimings = async (client: Client, o: { taskQueue: string; since: Date; userId?: number; limit?: number }): Promise<SagaTimings> => {
  const clauses = [`WorkflowType = 'placeOrder'`, `TaskQueue = '${o.taskQueue.replace(/'/g, '')}'`, `StartTime >= '${o.since.toISOString()}'`];
  if (o.userId !== undefined) clauses.push(`${sagaSearchAttributes.userId} = '${o.userId}'`);
  const ids: string[] = [];
  for await (const w of client.workflow.list({ query: clauses.join(' AND ') })) {
    if (w.status.name === 'COMPLETED') ids.push(w.workflowId);
    if (ids.length >= (o.limit ?? 200)) break;
  }
  const phases = new Map<string, number[]>();
  const add = (name: string, v: number) => {
    if (!Number.isFinite(v)) return;
    const list = phases.get(name);
    if (list) list.push(v); else phases.set(name, [v]);
  };
  for (const id of ids) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const events = history.events ?? [];
    const at = (type: keyof typeof EventType) => events.find((e) => e.eventType === EventType[type]);
    const t = (e: (typeof events)[number] | undefined) => millis(e?.eventTime);
    const started = t(at('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED'));
    const firstTask = t(at('EVENT_TYPE_WORKFLOW_TASK_STARTED'));
    const decided = t(at('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED'));
    const closed = t(at('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED'));
    add('start → first workflow task', firstTask - started);
    const locals = events.flatMap((e) => {
      const m = e.markerRecordedEventAttributes;
      const d = m?.markerName === localActivityMarker ? markerData(m.details as never) : undefined;
      return d ? [{ name: d.activity_type ?? '?', scheduled: millis(d.original_schedule_time) }] : [];
    });
    const firstTaskDone = t(at('EVENT_TYPE_WORKFLOW_TASK_COMPLETED'));
    // Steps scheduled together (within 2 ms) are one round; a round lasts until the next is scheduled.
    const rounds: Array<{ names: string[]; scheduled: number }> = [];
    for (const l of locals) {
      const last = rounds.at(-1);
      if (last && l.scheduled - last.scheduled < 2) last.names.push(l.name);
      else rounds.push({ names: [l.name], scheduled: l.scheduled });
    }
    rounds.forEach((r, i) => add(`local ${[...r.names].sort().join(' ∥ ')}`, (rounds[i + 1]?.scheduled ?? firstTaskDone) - r.scheduled));
    add('start → decision answered', decided - started);
    const notify = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'notifyCustomer');
    const notifyStarted = events.find((e) => e.activityTaskStartedEventAttributes && String(e.activityTaskStartedEventAttributes.scheduledEventId) === String(notify?.eventId));
    add('email: scheduled → started', t(notifyStarted) - t(notify));
    add('decision → workflow closed', closed - decided);
  }
  const medianMs = Object.fromEntries([...phases].map(([k, v]) => {
    const sorted = [...v].sort((a, b) => a - b);
    return [k, +(sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN).toFixed(1)];
  }));
  return { workflows: ids.length, medianMs };
};
