// Starting, signalling and reading migrations through Temporal (CLI, admin API, tests).
import {
  ApplicationFailure, CancelledFailure, Client, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError, type WorkflowExecutionDescription,
} from '@temporalio/client';
import proto from '@temporalio/proto';
import type { OwnershipSwitchInput } from './workflows.ts';
import { abortSignal, approveSignal, migrationStateQuery, pauseSignal, resumeSignal } from './migration-messages.ts';
import type { SwitchOutcome } from './switch/switch-ownership.ts';
import { FicusError } from '@ficus/common';
import type { MigrationDeclaration } from './migration-declaration.ts';
import { backfillWorkflowId, migrationSearchAttribute, migrationWorkflowId, type CutoverResult } from './migration-types.ts';
import { progressFromHeartbeat, type BackfillInput, type BackfillResult } from './backfill/backfill-progress.ts';
import type { BackfillTableResult } from './backfill/run-backfill.ts';

/** A backfill workflow as `describe` shows it: its status and its activity's last heartbeat. */
export interface BackfillStatus {
  workflowId: string;
  /** Temporal's: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT. */
  status: string;
  startTime: string;
  closeTime: string | null;
  /** The activity's attempt (2 and up: an earlier one failed or its worker was lost) and state (SCHEDULED: waiting for a worker). */
  attempt: number | null;
  activityState: 'scheduled' | 'started' | 'cancel-requested' | null;
  lastFailure: string | null;
  /** Rows copied per table at the last heartbeat (empty before the first one). */
  tables: BackfillTableResult[];
}

const activityStates: Record<number, BackfillStatus['activityState']> = {
  [proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED]: 'scheduled',
  [proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED]: 'started',
  [proto.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED]: 'cancel-requested',
};

/** The backfill's status from a workflow description, its heartbeat decoded by `decode`. */
export const backfillStatusOf = (d: Pick<WorkflowExecutionDescription, 'workflowId' | 'status' | 'startTime' | 'closeTime' | 'raw'>, decode: (p: proto.temporal.api.common.v1.IPayload) => unknown): BackfillStatus => {
  const a = d.raw.pendingActivities?.find((x) => x.activityType?.name === 'runBackfill');
  const heartbeat = a?.heartbeatDetails?.payloads?.[0];
  return {
    workflowId: d.workflowId, status: d.status.name, startTime: d.startTime.toISOString(), closeTime: d.closeTime?.toISOString() ?? null,
    attempt: a?.attempt ?? null, activityState: (a?.state ? activityStates[a.state] : undefined) ?? null, lastFailure: a?.lastFailure?.message ?? null,
    tables: (heartbeat && progressFromHeartbeat(decode(heartbeat))?.tables) ?? [],
  };
};

export const createMigrationClient = (client: Client, taskQueue: string) => {
  const handle = (name: string) => client.workflow.getHandle(migrationWorkflowId(name));
  const known = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    try { return await fn(); } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new FicusError('MIGRATION_NOT_RUNNING', `migration ${name} has never been started (ficus migrate start ${name})`, { status: 404 });
      throw e;
    }
  };
  const backfillHandle = (name: string) => client.workflow.getHandle(backfillWorkflowId(name));
  const knownBackfill = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    try { return await fn(); } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new FicusError('BACKFILL_NOT_RUNNING', `no backfill of ${name} has been started (ficus migrate backfill ${name})`, { status: 404 });
      throw e;
    }
  };
  return {
    /** Starts the backfill workflow (`backfill:<name>`, one at a time); it runs on the migration worker. */
    async backfill(input: BackfillInput): Promise<{ workflowId: string; runId: string }> {
      const workflowId = backfillWorkflowId(input.config.name);
      try {
        const h = await client.workflow.start('migrationBackfill', {
          taskQueue, workflowId, args: [input], searchAttributes: { [migrationSearchAttribute]: [input.config.name] },
        });
        return { workflowId, runId: h.firstExecutionRunId };
      } catch (e) {
        if (e instanceof WorkflowExecutionAlreadyStartedError) throw new FicusError('BACKFILL_ALREADY_RUNNING', `a backfill of ${input.config.name} is already running (workflow ${workflowId}); follow it: ficus migrate backfill ${input.config.name} --attach`, { status: 409 });
        throw e;
      }
    },
    /** The latest backfill's status and the rows copied per table at its last heartbeat. */
    backfillProgress: (name: string): Promise<BackfillStatus> => knownBackfill(name, async () => {
      const converter = client.options.loadedDataConverter.payloadConverter;
      return backfillStatusOf(await backfillHandle(name).describe(), (p) => converter.fromPayload(p as never));
    }),
    /** Waits for the latest backfill's end; a failed or cancelled one throws with the failure's code. */
    backfillResult: (name: string): Promise<BackfillResult> => knownBackfill(name, async () => {
      try { return (await backfillHandle(name).result()) as BackfillResult; } catch (e) {
        if (!(e instanceof WorkflowFailedError)) throw e;
        let cause: unknown = e.cause;
        while (cause instanceof Error && cause.cause && !(cause instanceof ApplicationFailure) && !(cause instanceof CancelledFailure)) cause = cause.cause;
        if (cause instanceof CancelledFailure) throw new FicusError('BACKFILL_CANCELLED', `the backfill of ${name} was cancelled; the stored position is kept (run it again to continue)`);
        const type = cause instanceof ApplicationFailure ? cause.type : undefined;
        const why = cause instanceof Error ? cause.message : String(cause);
        throw new FicusError(type && /^[A-Z][A-Z0-9_]+$/.test(type) ? type : 'BACKFILL_FAILED', `backfill of ${name} failed: ${why}`, { retriable: !(cause instanceof ApplicationFailure && cause.nonRetryable) });
      }
    }),
    /** Cancels the running backfill: it stops after the chunk in hand (the position is kept). */
    cancelBackfill: (name: string) => knownBackfill(name, () => backfillHandle(name).cancel()),
    /** Whether a worker polled the task queue's activities lately (without one a started backfill waits). */
    async workerPolling(): Promise<boolean> {
      const r = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      });
      return (r.pollers?.length ?? 0) > 0;
    },
    /** `continueAsNewAfterEvents`: tests make runs short to exercise continuing as new. */
    async start(config: MigrationDeclaration, startedBy?: string, o: { continueAsNewAfterEvents?: number } = {}): Promise<string> {
      try {
        const h = await client.workflow.start('migrationCutover', {
          taskQueue, workflowId: migrationWorkflowId(config.name), args: [{ config, startedBy, ...o }],
          searchAttributes: { [migrationSearchAttribute]: [config.name] },
        });
        return h.firstExecutionRunId;
      } catch (e) {
        if (e instanceof WorkflowExecutionAlreadyStartedError) throw new FicusError('MIGRATION_ALREADY_RUNNING', `migration ${config.name} is already running (ficus migrate status ${config.name})`, { status: 409 });
        throw e;
      }
    },
    /** The write switch alone (`ficus ownership switch`): one at a time per unit; waits for its outcome. */
    async switchOwnership(input: OwnershipSwitchInput): Promise<SwitchOutcome> {
      try {
        const h = await client.workflow.start('ownershipSwitch', { taskQueue, workflowId: `ownership:${input.unit}`, args: [input] });
        return (await h.result()) as SwitchOutcome;
      } catch (e) {
        if (e instanceof WorkflowExecutionAlreadyStartedError) throw new FicusError('OWNERSHIP_SWITCH_IN_PROGRESS', `a switch of unit ${input.unit} is already running`, { status: 409 });
        if (e instanceof WorkflowFailedError) throw new FicusError('OWNERSHIP_SWITCH_FAILED', `switch of unit ${input.unit} to ${input.to} failed: ${((e.cause as { cause?: Error } | undefined)?.cause ?? e.cause ?? e).message}`, { retriable: true });
        throw e;
      }
    },
    state: (name: string) => known(name, () => handle(name).query(migrationStateQuery)),
    async describe(name: string): Promise<{ status: string; runId: string; startTime: string; closeTime: string | null }> {
      return known(name, async () => {
        const d = await handle(name).describe();
        return { status: d.status.name, runId: d.runId, startTime: d.startTime.toISOString(), closeTime: d.closeTime?.toISOString() ?? null };
      });
    },
    result: (name: string) => known(name, () => handle(name).result() as Promise<CutoverResult>),
    pause: (name: string, by?: string) => known(name, () => handle(name).signal(pauseSignal, { by })),
    resume: (name: string, by?: string) => known(name, () => handle(name).signal(resumeSignal, { by })),
    approve: (name: string, by?: string) => known(name, () => handle(name).signal(approveSignal, { by })),
    abort: (name: string, reason: string, by?: string) => known(name, () => handle(name).signal(abortSignal, { by, reason })),
  };
};
export type MigrationClient = ReturnType<typeof createMigrationClient>;
