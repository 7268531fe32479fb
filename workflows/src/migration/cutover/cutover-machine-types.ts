// The cutover step machine's data: its state, the events it is fed and the commands it gives.
// Plain data only (no Temporal): the workflow interprets commands, the unit tests script events.
import type { MetricsSample } from '@ficus/common/proxy-metrics-sample';
import type { AuditEntry } from '../migration-state-store.ts';
import type { CutoverInput, CutoverResult, MigrationState, PendingSignal } from '../migration-types.ts';
import type { LagOutcome, ParityOutcome, ProbeOutcome } from '../gates/evaluate-gates.ts';
import type { GateFigures, GateQueryName } from '../gates/gate-queries.ts';
import type { SwitchOutcome, SwitchRequest } from '../switch/switch-ownership.ts';

export type RouteMode = 'legacy' | 'shadow' | 'canary' | 'service';
export type SyncDomain = 'catalog' | 'inventory' | 'orders';
type Declaration = CutoverInput['config'];

/** What a wait ends on, besides its timeout: read by `waitIsOver` against the latest state. */
export type WaitFor =
  | { for: 'abort-or-signal' }
  | { for: 'abort' }
  /** Only the timeout (retrying a flag change during a rollback: nothing interrupts it). */
  | { for: 'timeout' }
  | { for: 'approval'; needed: number };

/** One side effect; the workflow runs it and feeds its outcome back as the next event. */
export type CutoverCommand =
  | { type: 'audit'; entry: AuditEntry }
  | { type: 'ensure-flag'; flag: string }
  | { type: 'set-mode'; request: { flag: string; mode: RouteMode; percent: number } }
  | { type: 'sample-metrics'; routes: string[] }
  /** The metric gates' PromQL over every proxy replica (gates.metrics.source promql), rendered. */
  | { type: 'query-gate-metrics'; queries: Partial<Record<GateQueryName, string>> }
  | { type: 'run-probes'; request: { service: string; paths: string[]; ignoreKeys: string[] } }
  | { type: 'read-cdc-lag'; domain: SyncDomain }
  | { type: 'verify-parity'; request: Pick<Declaration, 'name' | 'tables' | 'databases'> }
  | { type: 'switch-writes'; request: SwitchRequest }
  /** `condition(until, timeoutMs)`; no timeout: wait for the condition alone. */
  | { type: 'wait'; until: WaitFor; timeoutMs?: number }
  | { type: 'continue-as-new'; input: CutoverInput }
  | { type: 'finish'; result: CutoverResult }
  /** A failure while rolling back: the workflow fails with the error of the last command. */
  | { type: 'fail' };

/** The outcome of the last command. */
export type CutoverOutcome =
  | { type: 'started' }
  | { type: 'done' }
  | { type: 'sampled'; sample?: MetricsSample; error?: string }
  | { type: 'gate-metrics'; figures?: GateFigures; error?: string }
  | { type: 'probed'; probe: ProbeOutcome }
  | { type: 'lag-read'; lag: LagOutcome }
  | { type: 'parity-verified'; parity: ParityOutcome }
  | { type: 'switched'; outcome: SwitchOutcome }
  | { type: 'woke' }
  /** The command failed: why (an activity's cause), and whether retrying it can help. */
  | { type: 'failed'; message: string; nonRetryable: boolean };

/** Workflow time and history size when the outcome arrived (the machine has no clock of its own). */
export interface CutoverClock {
  now: number;
  historyLength: number;
  continueAsNewSuggested: boolean;
}

export type CutoverEvent = CutoverOutcome & CutoverClock;

/** A signal as the machine receives it (the handlers only pass it on). */
export type CutoverSignal =
  | { kind: 'pause'; by?: string }
  | { kind: 'resume'; by?: string }
  | { kind: 'approve'; by?: string; step?: string }
  | { kind: 'abort'; by?: string; reason: string };

interface SetModeAt { flag: string; mode: RouteMode; percent: number; duringRollback: boolean; waiting: boolean; then: Resume }

/** A point the program goes on from (a continuation), as data. */
export type Resume =
  | { at: 'begin' }
  | { at: 'start-audited' }
  | { at: 'flag-ensured' }
  | { at: 'enter-step'; index: number }
  | { at: 'step-flushed'; index: number }
  | { at: 'step-approved'; index: number }
  | { at: 'step-announced'; index: number }
  | { at: 'approval-wait'; index: number; needed: number }
  | { at: 'approval-woke'; index: number; needed: number }
  | { at: 'approval-done'; index: number }
  | { at: 'flush'; then: Resume }
  | ({ at: 'mode-set' } & SetModeAt)
  | ({ at: 'mode-wait' } & SetModeAt)
  | ({ at: 'mode-woke' } & SetModeAt)
  | { at: 'mode-settled'; then: Resume }
  | { at: 'parity'; when: string; then: Resume }
  | { at: 'parity-verified'; when: string; then: Resume }
  | {
      at: 'hold-start' | 'hold-started' | 'hold-loop' | 'hold-woke' | 'hold-flushed'
        | 'hold-sampled' | 'hold-queried' | 'hold-probed' | 'hold-lag-read';
      index: number;
    }
  | { at: 'hold-counted'; index: number; wait: string | null }
  | { at: 'hold-end' | 'step-end' | 'continue-as-new' | 'write-switch' | 'write-switch-ready' | 'write-switch-announced' | 'write-switched'; index: number }
  | { at: 'complete' }
  | { at: 'finish'; result: CutoverResult }
  | { at: 'rollback'; why: string }
  | { at: 'rollback-writes' }
  | { at: 'rollback-writes-done' }
  | { at: 'rollback-flag' }
  | { at: 'rollback-flag-off' }
  | { at: 'rollback-end' };

/** The hold of one step: what the next check compares with and how far it got. */
export interface HoldProgress {
  /** The proxy metrics at the start of the current window. */
  before?: MetricsSample;
  lastWait: string | null;
  checks: number;
  /** Workflow time the current window started. */
  t0: number;
  /** The current check's reads, gathered before the gates are evaluated. */
  after?: { sample?: MetricsSample; error?: string };
  /** The current check's PromQL figures (gates.metrics.source promql). */
  fleet?: GateFigures;
  probe?: ProbeOutcome;
  lag?: LagOutcome;
}

export interface CutoverMachineState {
  input: CutoverInput;
  /** The first run's id: the audit log's key across runs that continued as new. */
  runId: string;
  /** What the `migrationState` query answers. */
  view: MigrationState;
  seq: number;
  paused: boolean;
  /** Approvals received in this run; a step waiting for one needs one more than when it began waiting. */
  approvals: number;
  abortReason?: string;
  /** Signals received and not yet written to the audit log (the main line writes them in order). */
  pendingSignals: PendingSignal[];
  lastLegacyP99?: number;
  hold?: HoldProgress;
  /** The rollback's reason once rolling back: a failure from then on fails the workflow. */
  rollingBack?: string;
  /** Where the outcome of the command just given goes. */
  next: Resume;
}

export interface CutoverDecision { state: CutoverMachineState; command: CutoverCommand }
