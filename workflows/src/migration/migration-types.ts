// Shared by the workflow, the activities, the worker and the client: plain data and names only.
import type { MigrationDeclaration } from './migration-declaration.ts';
import type { AuditEntry } from './migration-state-store.ts';
import type { GateResult } from './gates/evaluate-gates.ts';

export const migrationTaskQueue = 'ficus-migrations';
/** One running migration per name: starting it twice is refused by Temporal. */
export const migrationWorkflowId = (name: string) => `migration:${name}`;
/** One backfill of a migration at a time. */
export const backfillWorkflowId = (name: string) => `backfill:${name}`;
export const migrationSearchAttribute = 'FicusMigration';

export interface CutoverInput {
  config: MigrationDeclaration;
  /** Who started it (shown in the audit log). */
  startedBy?: string;
  /**
   * Continue as a new run once this run's history holds this many events (default: when Temporal
   * suggests it, or at 10,000). A long hold checks its gates thousands of times, and Temporal ends a
   * run whose history passes 51,200 events.
   */
  continueAsNewAfterEvents?: number;
  /** Set by the run that continued as new: where it was. */
  resume?: MigrationResume;
}

/** A signal received and not yet written to the audit log. */
export interface PendingSignal { kind: string; by?: string; text: string }

/** What a run hands the next one when it continues as new (always in the middle of a step's hold). */
export interface MigrationResume {
  stepIndex: number;
  heldMs: number;
  checks: number;
  lastWait: string | null;
  seq: number;
  paused: boolean;
  lastLegacyP99: number | undefined;
  pendingSignals: PendingSignal[];
  audit: AuditEntry[];
  gates: GateResult[];
  lastCheckAt: string | null;
  runs: number;
  writeCutover?: MigrationState['writeCutover'];
}

export type MigrationStatus = 'running' | 'paused' | 'awaiting-approval' | 'waiting' | 'completed' | 'rolled-back' | 'aborted';

export interface StepView { name: string; mode: 'shadow' | 'canary' | 'service' | 'write-switch'; percent: number; holdMs: number; requiresApproval: boolean }

export interface MigrationState {
  migration: string;
  status: MigrationStatus;
  steps: StepView[];
  stepIndex: number;
  step: string;
  heldMs: number;
  holdMs: number;
  /** Why the step is not advancing (gate without data, Unleash unreachable, paused, approval). */
  waitingFor: string | null;
  gates: GateResult[];
  lastCheckAt: string | null;
  /** The rollback or abort reason, once there is one. */
  reason: string | null;
  /** The write switch: `already-owned` when another migration had moved the unit (this one does not move it back). */
  writeCutover: 'not-configured' | 'pending' | 'in-progress' | 'done' | 'already-owned' | 'rolled-back';
  audit: AuditEntry[];
  /** Temporal runs this migration has taken (it continues as new during long holds). */
  runs: number;
}

export interface CutoverResult { status: 'completed' | 'rolled-back' | 'aborted'; reason: string | null; state: MigrationState }

export interface ApproveSignal { by?: string; step?: string }
export interface AbortSignal { by?: string; reason: string }
export interface PauseSignal { by?: string }
