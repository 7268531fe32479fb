// Starting, signalling and reading migrations through Temporal (CLI, admin API, tests).
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import type { OwnershipSwitchInput } from './workflows.ts';
import { abortSignal, approveSignal, migrationStateQuery, pauseSignal, resumeSignal } from './migration-messages.ts';
import type { SwitchOutcome } from './switch/switch-ownership.ts';
import { FicusError } from '@ficus/common';
import type { MigrationConfig } from './migration-config.ts';
import { migrationSearchAttribute, migrationWorkflowId, type CutoverResult } from './migration-types.ts';

export const createMigrationClient = (client: Client, taskQueue: string) => {
  const handle = (name: string) => client.workflow.getHandle(migrationWorkflowId(name));
  const known = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    try { return await fn(); } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new FicusError('MIGRATION_NOT_RUNNING', `migration ${name} has never been started (ficus migrate start ${name})`, { status: 404 });
      throw e;
    }
  };
  return {
    /** `continueAsNewAfterEvents`: tests make runs short to exercise continuing as new. */
    async start(config: MigrationConfig, startedBy?: string, o: { continueAsNewAfterEvents?: number } = {}): Promise<string> {
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
