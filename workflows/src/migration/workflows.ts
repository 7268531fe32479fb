// The migration cutover workflow. Deterministic code only: every side effect is an activity;
// imports from sibling modules are types or pure functions.
import {
  ActivityFailure, ApplicationFailure, condition, ContinueAsNew, makeContinueAsNewFunc, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { MigrationActivities } from './activities.ts';
import type { AuditEntry } from './migration-state-store.ts';
import type {
  CutoverInput, CutoverResult, MigrationResume, MigrationState, PendingSignal, StepView,
} from './migration-types.ts';
import { evaluateGates, failedGate, type GateInputs, type GateResult } from './gates/evaluate-gates.ts';
import type { MetricsSample } from '@ficus/common/proxy-metrics-sample';
import { abortSignal, approveSignal, migrationStateQuery, pauseSignal, resumeSignal } from './migration-messages.ts';
import { auditActivity, flagActivity, gateActivity, parityActivity, switchActivity } from './migration-policies.ts';
import type { SwitchOutcome, SwitchRequest } from './switch/switch-ownership.ts';

const flags = proxyActivities<MigrationActivities>(flagActivity);
const gates = proxyActivities<MigrationActivities>(gateActivity);
const parity = proxyActivities<MigrationActivities>(parityActivity);
const switches = proxyActivities<MigrationActivities>(switchActivity);
const audits = proxyActivities<MigrationActivities>(auditActivity);

export { abortSignal, approveSignal, migrationStateQuery, pauseSignal, resumeSignal } from './migration-messages.ts';
export { migrationBackfill } from './backfill-workflow.ts';

/** Audit lines kept in the queryable state (all of them are in the audit store). */
const AUDIT_TAIL = 200;
/** A run continues as new at Temporal's suggestion or at this many history events, whichever first. */
const CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;

class RolledBack extends Error {}

const describeFailure = (e: unknown): string => {
  if (e instanceof ActivityFailure && e.cause) return e.cause.message;
  return e instanceof Error ? e.message : String(e);
};

export async function migrationCutover(input: CutoverInput): Promise<CutoverResult> {
  const c = input.config;
  const resumed = input.resume;
  // the first run's id (not the workflow id): a migration started again after it ended is a new
  // log, one that continued as new (a long hold) keeps writing the same one
  const runId = workflowInfo().firstExecutionRunId;
  const intervalMs = Math.round(c.checkIntervalSeconds * 1000);
  const steps: StepView[] = [
    { name: 'shadow', mode: 'shadow', percent: c.shadow.percent, holdMs: c.shadow.holdSeconds * 1000, requiresApproval: c.shadow.requiresApproval },
    ...c.canary.map((s): StepView => ({ name: s.percent === 100 ? 'service-100%' : `canary-${s.percent}%`, mode: s.percent === 100 ? 'service' : 'canary', percent: s.percent, holdMs: s.holdSeconds * 1000, requiresApproval: s.requiresApproval })),
    ...(c.writes ? [{ name: 'write-switch', mode: 'write-switch', percent: 100, holdMs: 0, requiresApproval: c.writes.requiresApproval } satisfies StepView] : []),
  ];
  const state: MigrationState = {
    migration: c.name, status: 'running', steps, stepIndex: -1, step: 'start', heldMs: 0, holdMs: 0, waitingFor: null,
    reason: null, writeCutover: c.writes ? (resumed?.writeCutover ?? 'pending') : 'not-configured', audit: resumed?.audit ?? [], runs: (resumed?.runs ?? 0) + 1,
    gates: resumed?.gates ?? [], lastCheckAt: resumed?.lastCheckAt ?? null,
  };
  let seq = resumed?.seq ?? 0;
  let paused = resumed?.paused ?? false;
  let approvals = 0;
  let abortReason: string | undefined;
  let lastLegacyP99 = resumed?.lastLegacyP99;

  const audit = async (kind: AuditEntry['kind'], message: string, data?: Record<string, unknown>) => {
    const e: AuditEntry = { migration: c.name, runId, seq: ++seq, at: new Date().toISOString(), step: state.step, kind, message, ...(data ? { data } : {}) };
    state.audit.push(e);
    if (state.audit.length > AUDIT_TAIL) state.audit.splice(0, state.audit.length - AUDIT_TAIL);
    await audits.recordAudit(e);
  };

  setHandler(migrationStateQuery, () => state);
  // Signals only set variables; the main loop records them (handlers must not race the audit sequence).
  const pendingSignals: PendingSignal[] = [...(resumed?.pendingSignals ?? [])];
  setHandler(pauseSignal, (s) => { paused = true; pendingSignals.push({ kind: 'pause', by: s.by, text: 'paused: the hold clock stops, gates are still checked' }); });
  setHandler(resumeSignal, (s) => { paused = false; pendingSignals.push({ kind: 'resume', by: s.by, text: 'resumed' }); });
  setHandler(approveSignal, (s) => { approvals++; pendingSignals.push({ kind: 'approve', by: s.by, text: `approved${s.step ? ` (${s.step})` : ''}` }); });
  setHandler(abortSignal, (s) => { abortReason ??= `aborted by ${s.by ?? 'an operator'}: ${s.reason}`; pendingSignals.push({ kind: 'abort', by: s.by, text: `abort requested: ${s.reason}` }); });
  const flushSignals = async () => {
    while (pendingSignals.length) {
      const s = pendingSignals.shift()!;
      await audit('signal', s.text, { signal: s.kind, ...(s.by ? { by: s.by } : {}) });
    }
  };

  /** Runs a flag change until Unleash takes it: while it cannot be reached the step waits and says so. */
  const setMode = async (flag: string, mode: 'legacy' | 'shadow' | 'canary' | 'service', percent: number, o: { duringRollback?: boolean } = {}) => {
    let waiting = false;
    for (;;) {
      try {
        await flags.setRouteMode({ flag, mode, percent });
        if (waiting) await audit('decision', `Unleash answered again: ${flag} set to ${mode} ${percent}%`);
        state.waitingFor = null;
        return;
      } catch (e) {
        const why = describeFailure(e);
        if (e instanceof ActivityFailure && e.cause instanceof ApplicationFailure && e.cause.nonRetryable) throw e;
        if (!waiting) {
          waiting = true;
          state.waitingFor = `Unleash: ${why}`;
          state.status = 'waiting';
          await audit('wait', `cannot set ${flag} to ${mode} ${percent}%: ${why}; the step waits and retries every ${c.checkIntervalSeconds} s (the flag keeps its last state)`);
        }
        await condition(() => !o.duringRollback && abortReason !== undefined, intervalMs);
        if (!o.duringRollback && abortReason !== undefined) throw new RolledBack(abortReason);
      }
    }
  };

  const sample = async (): Promise<{ sample?: MetricsSample; error?: string }> => gates.sampleProxyMetrics(c.routes);

  const checkGates = async (phase: 'shadow' | 'canary', before: MetricsSample | undefined, after: { sample?: MetricsSample; error?: string }): Promise<GateResult[]> => {
    const inputs: GateInputs = { phase, before, after: after.sample, metricsError: after.error, lastLegacyP99 };
    if (c.gates.probes && phase === 'canary') inputs.probe = await gates.runProbes({ service: c.service, paths: [...c.gates.probes.paths], ignoreKeys: [...c.gates.probes.ignoreKeys] });
    if (c.gates.cdcLag) inputs.lag = await gates.readCdcLag(c.service === 'inventory' ? 'inventory' : c.service === 'orders' ? 'orders' : 'catalog');
    const results = evaluateGates(c.gates, c.routes, inputs);
    for (const r of results) if (r.gate === 'p99VsLegacy' && r.reference !== undefined) lastLegacyP99 = r.reference;
    state.gates = results;
    state.lastCheckAt = new Date().toISOString();
    return results;
  };

  const parityGate = async (when: string) => {
    if (!c.gates.parity) return;
    const p = await parity.verifyParity({ name: c.name, tables: c.tables, databases: c.databases });
    const [r] = evaluateGates({ parity: c.gates.parity }, c.routes, { phase: 'canary', parity: p });
    state.gates = [...state.gates.filter((g) => g.gate !== 'parity'), r!];
    await audit('gate', `data parity ${when}: ${p.summary}`, { gate: 'parity', ok: r!.ok, value: r!.value, threshold: r!.threshold });
    if (r!.ok === false) throw new RolledBack(`gate parity failed ${when}: ${p.differencesTotal} differing rows (max ${c.gates.parity.maxDifferences}): ${p.summary}`);
  };

  const awaitApproval = async (step: StepView) => {
    const needed = approvals + 1;
    state.status = 'awaiting-approval';
    state.waitingFor = `approval of ${step.name} (ficus migrate approve ${c.name})`;
    await audit('wait', `${step.name} requires approval: waiting for \`ficus migrate approve ${c.name}\``);
    await condition(() => approvals >= needed || abortReason !== undefined || pendingSignals.length > 0);
    while (approvals < needed && abortReason === undefined) {
      await flushSignals();
      await condition(() => approvals >= needed || abortReason !== undefined || pendingSignals.length > 0);
    }
    await flushSignals();
    if (abortReason !== undefined) throw new RolledBack(abortReason);
    state.waitingFor = null;
    state.status = paused ? 'paused' : 'running';
  };

  /** Past Temporal's suggestion or our own bound: the hold goes on in a new run with a short history. */
  const continueAsNew = makeContinueAsNewFunc<typeof migrationCutover>();
  const historyIsLong = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= (input.continueAsNewAfterEvents ?? CONTINUE_AS_NEW_AFTER_EVENTS);
  };

  /** Holds a step for its time while checking every gate each interval; a failed gate throws RolledBack. */
  const hold = async (step: StepView, from?: MigrationResume) => {
    const phase = step.mode === 'shadow' ? 'shadow' : 'canary';
    state.heldMs = from?.heldMs ?? 0;
    state.holdMs = step.holdMs;
    let before = (await sample()).sample;
    let lastWait: string | null = from?.lastWait ?? null;
    let checks = from?.checks ?? 0;
    while (state.heldMs < step.holdMs || checks === 0) {
      const t0 = Date.now();
      await condition(() => abortReason !== undefined || pendingSignals.length > 0, intervalMs);
      await flushSignals();
      if (abortReason !== undefined) throw new RolledBack(abortReason);
      if (Date.now() - t0 < intervalMs) continue; // woken by a signal: the window is not over yet
      const after = await sample();
      const results = await checkGates(phase, before, after);
      checks++;
      if (after.sample) before = after.sample;
      const failed = failedGate(results);
      if (failed) {
        await audit('gate', `gate ${failed.gate} failed: ${failed.detail}`, { gate: failed.gate, value: failed.value, threshold: failed.threshold, gates: results });
        throw new RolledBack(`gate ${failed.gate} failed during ${step.name}: ${failed.detail}`);
      }
      const unknown = results.filter((r) => r.ok === null);
      const wait = paused ? 'paused' : unknown.length ? unknown.map((r) => `${r.gate}: ${r.detail}`).join('; ') : null;
      if (wait !== lastWait) {
        if (wait && !paused) await audit('wait', `holding without counting: ${wait}`, { gates: results });
        else if (!wait && lastWait && lastWait !== 'paused') await audit('gate', 'every gate has data again', { gates: results });
        lastWait = wait;
      }
      state.waitingFor = wait;
      state.status = paused ? 'paused' : wait ? 'waiting' : 'running';
      if (!wait) state.heldMs = Math.min(step.holdMs, state.heldMs + (Date.now() - t0));
      if (step.holdMs === 0) break;
      if (state.heldMs < step.holdMs && historyIsLong()) {
        await flushSignals();
        if (abortReason !== undefined) throw new RolledBack(abortReason);
        await continueAsNew({
          ...input,
          resume: {
            stepIndex: state.stepIndex, heldMs: state.heldMs, checks, lastWait, seq, paused, lastLegacyP99, pendingSignals: [...pendingSignals],
            audit: state.audit, gates: state.gates, lastCheckAt: state.lastCheckAt, runs: state.runs,
          },
        });
      }
    }
    await audit('gate', `${step.name} held ${Math.round(state.heldMs / 1000)} s with every gate passing`, { gates: state.gates });
  };

  const switchTo = async (to: 'service' | 'legacy'): Promise<SwitchOutcome> => {
    const w = c.writes!;
    const u = c.writeUnit!;
    return switches.switchWrites({
      unit: u.name, to, domains: u.domains, by: `migration:${c.name}:${runId}:${to}`,
      maxLagEvents: w.maxLagEvents, holdMs: w.holdMs, proxyLiveMs: w.proxyLiveMs, quiesce: u.quiesce,
    });
  };
  const describeSwitch = (o: SwitchOutcome) => o.result === 'already'
    ? `unit ${o.unit} was already owned by ${o.to}`
    : `unit ${o.unit}: ${o.from} → ${o.to}, writes held ${o.heldMs} ms, sync drained to ${o.position} (${o.steps.map((s) => `${s.step} ${s.ms} ms`).join(', ')})`;

  const writeSwitch = async () => {
    const u = c.writeUnit;
    if (!u) throw new RolledBack(`writes.unit ${c.writes!.unit} was not resolved against the catalogue (start the migration with \`ficus migrate start\`)`);
    await parityGate('before the write switch');
    await audit('step', `write switch: unit ${u.name} (tables ${u.legacyTables.join(', ')}; routes ${u.writeRoutes.join(', ')}) → service: lag gate, hold writes at the proxies (≤ ${c.writes!.holdMs} ms), drain the sync to the owner's GTID position, flip, release`);
    state.writeCutover = 'in-progress';
    let outcome: SwitchOutcome;
    try { outcome = await switchTo('service'); } catch (e) { throw new RolledBack(`write switch failed: ${describeFailure(e)}`); }
    state.writeCutover = outcome.result === 'already' ? 'already-owned' : 'done';
    await audit('step', `write switch done: ${describeSwitch(outcome)}`, { switch: outcome });
    await parityGate('after the write switch');
  };

  const rollback = async (why: string) => {
    state.reason = why;
    await audit('rollback', `rolling back to legacy: ${why}`);
    if (c.writes && (state.writeCutover === 'in-progress' || state.writeCutover === 'done')) {
      // the same switch the other way: nothing written on the service is lost (the reverse sync drains first)
      const outcome = await switchTo('legacy');
      state.writeCutover = 'rolled-back';
      await audit('rollback', `writes back on legacy: ${describeSwitch(outcome)}`, { switch: outcome });
    }
    await setMode(c.flag, 'legacy', 100, { duringRollback: true });
    await audit('rollback', `${c.flag} is off: every route of ${c.name} is served by legacy`);
  };

  try {
    if (!resumed) {
      await audit('step', `migration ${c.name} started${input.startedBy ? ` by ${input.startedBy}` : ''}: ${steps.map((s) => s.name).join(' → ')}`, { routes: c.routes, flag: c.flag, service: c.service });
      await flags.ensureFlag(c.flag);
      await parityGate('before the first step');
    }
    for (const [i, step] of steps.entries()) {
      if (resumed && i < resumed.stepIndex) continue;
      // a run that continued as new picks the hold up where the last one was (flag set, approval given)
      const from = resumed && i === resumed.stepIndex ? resumed : undefined;
      state.stepIndex = i;
      state.step = step.name;
      state.status = paused ? 'paused' : 'running';
      await flushSignals();
      if (abortReason !== undefined) throw new RolledBack(abortReason);
      if (!from) {
        if (step.requiresApproval) await awaitApproval(step);
        if (step.mode === 'write-switch') { await writeSwitch(); continue; }
        await audit('step', `${step.name}: ${c.flag} → ${step.mode} ${step.percent}%; hold ${step.holdMs / 1000} s, gates every ${c.checkIntervalSeconds} s`);
        await setMode(c.flag, step.mode, step.percent);
      } else {
        await audit('decision', `continued as new run ${state.runs} (Temporal history kept short) in ${step.name}, held ${Math.round(from.heldMs / 1000)} s of ${step.holdMs / 1000} s`);
      }
      await hold(step, from);
      if (c.gates.parity?.atEachStep) await parityGate(`at the end of ${step.name}`);
    }
    state.status = 'completed';
    state.step = 'done';
    state.waitingFor = null;
    await audit('done', `migration ${c.name} complete: ${c.service} serves 100%${c.writes ? `, writes of unit ${c.writes.unit} owned by the service` : ''}`);
    return { status: 'completed', reason: null, state };
  } catch (e) {
    if (e instanceof ContinueAsNew) throw e;
    const why = e instanceof RolledBack ? e.message : `step ${state.step} failed: ${describeFailure(e)}`;
    await rollback(why);
    const aborted = abortReason !== undefined && why === abortReason;
    state.status = aborted ? 'aborted' : 'rolled-back';
    state.waitingFor = null;
    await audit('done', aborted ? `migration ${c.name} aborted; routes on legacy` : `migration ${c.name} rolled back; routes on legacy`);
    return { status: aborted ? 'aborted' : 'rolled-back', reason: why, state };
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
