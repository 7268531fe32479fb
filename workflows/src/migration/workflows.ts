// The migration cutover workflow: a thin interpreter of the step machine (cutover/cutover-machine.ts).
// It sets the query and signal handlers, runs each command the machine gives with the activities,
// timers and conditions below, and feeds the outcome back. Deterministic code only: every side
// effect is an activity; imports from sibling modules are types or pure functions. The commands'
// order and arguments are what the recorded histories replay (histories/): change them only
// behind patched() (docs/components/migration-workflows.md, "Changing the workflow").
import {
  ActivityFailure, ApplicationFailure, condition, makeContinueAsNewFunc, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { MigrationActivities } from './activities.ts';
import type { CutoverInput, CutoverResult } from './migration-types.ts';
import { abortSignal, approveSignal, migrationStateQuery, pauseSignal, resumeSignal } from './migration-messages.ts';
import { auditActivity, flagActivity, gateActivity, parityActivity, switchActivity } from './migration-policies.ts';
import type { SwitchOutcome, SwitchRequest } from './switch/switch-ownership.ts';
import { decideCutover, receiveSignal, startCutover, waitIsOver } from './cutover/cutover-machine.ts';
import type { CutoverClock, CutoverCommand, CutoverOutcome } from './cutover/cutover-machine-types.ts';

const flags = proxyActivities<MigrationActivities>(flagActivity);
const gates = proxyActivities<MigrationActivities>(gateActivity);
const parity = proxyActivities<MigrationActivities>(parityActivity);
const switches = proxyActivities<MigrationActivities>(switchActivity);
const audits = proxyActivities<MigrationActivities>(auditActivity);

export { abortSignal, approveSignal, migrationStateQuery, pauseSignal, resumeSignal } from './migration-messages.ts';
export { migrationBackfill } from './backfill-workflow.ts';

const describeFailure = (e: unknown): string => {
  if (e instanceof ActivityFailure && e.cause) return e.cause.message;
  return e instanceof Error ? e.message : String(e);
};
/** A flag change the activity refused for good (unknown flag, bad percent): waiting would not help. */
const isNonRetryable = (e: unknown) => e instanceof ActivityFailure && e.cause instanceof ApplicationFailure && e.cause.nonRetryable === true;

const clock = (): CutoverClock => {
  const info = workflowInfo();
  return { now: Date.now(), historyLength: info.historyLength, continueAsNewSuggested: info.continueAsNewSuggested };
};

export async function migrationCutover(input: CutoverInput): Promise<CutoverResult> {
  // the first run's id (not the workflow id): a migration started again after it ended is a new
  // log, one that continued as new (a long hold) keeps writing the same one
  let m = startCutover(input, workflowInfo().firstExecutionRunId);
  setHandler(migrationStateQuery, () => m.view);
  // Signals only change the machine's variables; the main line writes them to the audit log.
  setHandler(pauseSignal, (s) => { m = receiveSignal(m, { kind: 'pause', by: s.by }); });
  setHandler(resumeSignal, (s) => { m = receiveSignal(m, { kind: 'resume', by: s.by }); });
  setHandler(approveSignal, (s) => { m = receiveSignal(m, { kind: 'approve', by: s.by, step: s.step }); });
  setHandler(abortSignal, (s) => { m = receiveSignal(m, { kind: 'abort', by: s.by, reason: s.reason }); });

  const continueAsNew = makeContinueAsNewFunc<typeof migrationCutover>();
  /** Runs one command; the machine reads the latest `m` again when it returns (signals may have come). */
  const run = async (cmd: Exclude<CutoverCommand, { type: 'finish' | 'fail' | 'continue-as-new' }>): Promise<CutoverOutcome> => {
    switch (cmd.type) {
      case 'audit': await audits.recordAudit(cmd.entry); return { type: 'done' };
      case 'ensure-flag': await flags.ensureFlag(cmd.flag); return { type: 'done' };
      case 'set-mode': await flags.setRouteMode(cmd.request); return { type: 'done' };
      case 'sample-metrics': { const r = await gates.sampleProxyMetrics(cmd.routes); return { type: 'sampled', sample: r.sample, error: r.error }; }
      case 'query-gate-metrics': { const r = await gates.queryGateMetrics(cmd.queries); return { type: 'gate-metrics', figures: r.figures, error: r.error }; }
      case 'run-probes': return { type: 'probed', probe: await gates.runProbes(cmd.request) };
      case 'read-cdc-lag': return { type: 'lag-read', lag: await gates.readCdcLag(cmd.domain) };
      case 'verify-parity': return { type: 'parity-verified', parity: await parity.verifyParity(cmd.request) };
      case 'switch-writes': return { type: 'switched', outcome: await switches.switchWrites(cmd.request) };
      case 'wait': { const until = cmd.until; await condition(() => waitIsOver(m, until), cmd.timeoutMs); return { type: 'woke' }; }
    }
  };

  let lastFailure: unknown;
  let outcome: CutoverOutcome = { type: 'started' };
  for (;;) {
    const d = decideCutover(m, { ...outcome, ...clock() });
    m = d.state;
    const cmd = d.command;
    if (cmd.type === 'finish') return cmd.result;
    if (cmd.type === 'fail') throw lastFailure;
    if (cmd.type === 'continue-as-new') return continueAsNew(cmd.input);
    try {
      outcome = await run(cmd);
    } catch (e) {
      lastFailure = e;
      outcome = { type: 'failed', message: describeFailure(e), nonRetryable: isNonRetryable(e) };
    }
  }
}

/** Input of a switch outside a migration (an operator's rollback of writes, any time after a switch). */
export interface OwnershipSwitchInput {
  unit: string;
  to: 'legacy' | 'service';
  domains: SwitchRequest['domains'][number][];
  maxLagEvents: number;
  holdMs: number;
  proxyLiveMs: number;
  quiesce?: SwitchRequest['quiesce'];
  by?: string;
}

/** `ficus ownership switch <unit> --to <side>`: the write switch alone, workflow id `ownership:<unit>`. */
export async function ownershipSwitch(input: OwnershipSwitchInput): Promise<SwitchOutcome> {
  return switches.switchWrites({
    unit: input.unit, to: input.to, domains: input.domains, by: `ownership:${input.unit}:${workflowInfo().runId}`,
    maxLagEvents: input.maxLagEvents, holdMs: input.holdMs, proxyLiveMs: input.proxyLiveMs, quiesce: input.quiesce,
  });
}
