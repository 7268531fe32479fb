// The migration cutover as a pure step machine: (state, event) → (state, one command). No Temporal,
// no clock, no I/O: every decision (which step next, the hold clock, pause, approval, abort, gate
// verdicts and rollback, the write switch, when to continue as new) is here, and `workflows.ts` only
// runs the commands. Each decision gives exactly one command because the next one depends on its
// outcome and on the workflow time it came back at (the audit log's times, the hold clock).
import { evaluateGates, failedGate, type GateInputs } from '../gates/evaluate-gates.ts';
import { gateQueriesFor } from '../gates/gate-queries.ts';
import type { AuditEntry } from '../migration-state-store.ts';
import type { CutoverInput, CutoverResult, MigrationResume, MigrationState, StepView } from '../migration-types.ts';
import type { SwitchOutcome } from '../switch/switch-ownership.ts';
import type {
  CutoverCommand, CutoverDecision, CutoverEvent, CutoverMachineState, CutoverSignal, Resume, RouteMode, SyncDomain, WaitFor,
} from './cutover-machine-types.ts';

/** Audit lines kept in the queryable state (all of them are in the audit store). */
export const AUDIT_TAIL = 200;
/** A run continues as new at Temporal's suggestion or at this many history events, whichever first. */
export const CONTINUE_AS_NEW_AFTER_EVENTS = 10_000;

type S = CutoverMachineState;
type Ev = CutoverEvent;

const cfg = (s: S) => s.input.config;
const intervalMs = (s: S) => Math.round(cfg(s).checkIntervalSeconds * 1000);
const iso = (now: number) => new Date(now).toISOString();
const give = (s: S, command: CutoverCommand, next: Resume): CutoverDecision => ({ state: { ...s, next }, command });

/** The steps of a declaration: shadow, each canary step (the 100% one is `service-100%`), then the write switch if any. */
export const cutoverSteps = (c: CutoverInput['config']): StepView[] => [
  { name: 'shadow', mode: 'shadow', percent: c.shadow.percent, holdMs: c.shadow.holdSeconds * 1000, requiresApproval: c.shadow.requiresApproval },
  ...c.canary.map((s): StepView => ({ name: s.percent === 100 ? 'service-100%' : `canary-${s.percent}%`, mode: s.percent === 100 ? 'service' : 'canary', percent: s.percent, holdMs: s.holdSeconds * 1000, requiresApproval: s.requiresApproval })),
  ...(c.writes ? [{ name: 'write-switch', mode: 'write-switch', percent: 100, holdMs: 0, requiresApproval: c.writes.requiresApproval } satisfies StepView] : []),
];

/** The state a run starts in (a fresh migration, or one that continued as new with `input.resume`). */
export const startCutover = (input: CutoverInput, runId: string): S => {
  const c = input.config;
  const resumed = input.resume;
  const view: MigrationState = {
    migration: c.name, status: 'running', steps: cutoverSteps(c), stepIndex: -1, step: 'start', heldMs: 0, holdMs: 0, waitingFor: null,
    reason: null, writeCutover: c.writes ? (resumed?.writeCutover ?? 'pending') : 'not-configured', audit: resumed?.audit ?? [], runs: (resumed?.runs ?? 0) + 1,
    gates: resumed?.gates ?? [], lastCheckAt: resumed?.lastCheckAt ?? null,
  };
  return {
    input, runId, view, seq: resumed?.seq ?? 0, paused: resumed?.paused ?? false, approvals: 0,
    pendingSignals: [...(resumed?.pendingSignals ?? [])], lastLegacyP99: resumed?.lastLegacyP99, next: { at: 'begin' },
  };
};

/** A signal only changes variables and queues an audit line; the main line writes the line (in order, with the next seq). */
export const receiveSignal = (s: S, sig: CutoverSignal): S => {
  switch (sig.kind) {
    case 'pause': return { ...s, paused: true, pendingSignals: [...s.pendingSignals, { kind: 'pause', by: sig.by, text: 'paused: the hold clock stops, gates are still checked' }] };
    case 'resume': return { ...s, paused: false, pendingSignals: [...s.pendingSignals, { kind: 'resume', by: sig.by, text: 'resumed' }] };
    case 'approve': return { ...s, approvals: s.approvals + 1, pendingSignals: [...s.pendingSignals, { kind: 'approve', by: sig.by, text: `approved${sig.step ? ` (${sig.step})` : ''}` }] };
    case 'abort': return {
      ...s, abortReason: s.abortReason ?? `aborted by ${sig.by ?? 'an operator'}: ${sig.reason}`,
      pendingSignals: [...s.pendingSignals, { kind: 'abort', by: sig.by, text: `abort requested: ${sig.reason}` }],
    };
  }
};

/** Whether a `wait` command's condition holds in the latest state (signals change it while waiting). */
export const waitIsOver = (s: S, w: WaitFor): boolean => {
  switch (w.for) {
    case 'abort-or-signal': return s.abortReason !== undefined || s.pendingSignals.length > 0;
    case 'abort': return s.abortReason !== undefined;
    case 'timeout': return false;
    case 'approval': return s.approvals >= w.needed || s.abortReason !== undefined || s.pendingSignals.length > 0;
  }
};

/** The next decision, given the outcome of the last command (the first: `{ type: 'started', …clock }`). */
export const decideCutover = (s: S, event: Ev): CutoverDecision => {
  const st: S = { ...s, view: { ...s.view } };
  const at = st.next;
  if (event.type === 'failed') {
    if (at.at === 'mode-set') return modeFailed(st, event, at);
    if (at.at === 'write-switched') return go(st, { at: 'rollback', why: `write switch failed: ${event.message}` }, event);
    if (st.rollingBack !== undefined) return { state: st, command: { type: 'fail' } };
    return go(st, { at: 'rollback', why: `step ${st.view.step} failed: ${event.message}` }, event);
  }
  return go(st, at, event);
};

const audit = (s: S, ev: Ev, kind: AuditEntry['kind'], message: string, data: Record<string, unknown> | undefined, then: Resume): CutoverDecision => {
  const c = cfg(s);
  s.seq += 1;
  const entry: AuditEntry = { migration: c.name, runId: s.runId, seq: s.seq, at: iso(ev.now), step: s.view.step, kind, message, ...(data ? { data } : {}) };
  const tail = [...s.view.audit, entry];
  s.view = { ...s.view, audit: tail.length > AUDIT_TAIL ? tail.slice(tail.length - AUDIT_TAIL) : tail };
  return give(s, { type: 'audit', entry }, then);
};

/** Writes the queued signals to the audit log one by one (more may arrive meanwhile), then goes on. */
const flushThen = (s: S, ev: Ev, then: Resume): CutoverDecision => {
  const [sig, ...rest] = s.pendingSignals;
  if (!sig) return go(s, then, ev);
  s.pendingSignals = rest;
  return audit(s, ev, 'signal', sig.text, { signal: sig.kind, ...(sig.by ? { by: sig.by } : {}) }, { at: 'flush', then });
};

const setMode = (s: S, flag: string, mode: RouteMode, percent: number, duringRollback: boolean, then: Resume): CutoverDecision =>
  give(s, { type: 'set-mode', request: { flag, mode, percent } }, { at: 'mode-set', flag, mode, percent, duringRollback, waiting: false, then });

/** A flag change Unleash did not take: the step waits and says so, then tries again each interval. */
const modeFailed = (s: S, ev: Extract<Ev, { type: 'failed' }>, at: Extract<Resume, { at: 'mode-set' }>): CutoverDecision => {
  if (ev.nonRetryable) {
    if (s.rollingBack !== undefined) return { state: s, command: { type: 'fail' } };
    return go(s, { at: 'rollback', why: `step ${s.view.step} failed: ${ev.message}` }, ev);
  }
  if (at.waiting) return go(s, { ...at, at: 'mode-wait' }, ev);
  s.view.waitingFor = `Unleash: ${ev.message}`;
  s.view.status = 'waiting';
  return audit(s, ev, 'wait', `cannot set ${at.flag} to ${at.mode} ${at.percent}%: ${ev.message}; the step waits and retries every ${cfg(s).checkIntervalSeconds} s (the flag keeps its last state)`,
    undefined, { ...at, at: 'mode-wait', waiting: true });
};

const lagDomain = (service: string): SyncDomain => (service === 'inventory' ? 'inventory' : service === 'orders' ? 'orders' : 'catalog');

export const describeSwitch = (o: SwitchOutcome) => o.result === 'already'
  ? `unit ${o.unit} was already owned by ${o.to}`
  : `unit ${o.unit}: ${o.from} → ${o.to}, writes held ${o.heldMs} ms, sync drained to ${o.position} (${o.steps.map((x) => `${x.step} ${x.ms} ms`).join(', ')})`;

const switchCommand = (s: S, to: 'service' | 'legacy'): CutoverCommand => {
  const c = cfg(s);
  const w = c.writes!;
  const u = c.writeUnit!;
  return {
    type: 'switch-writes',
    request: { unit: u.name, to, domains: u.domains, by: `migration:${c.name}:${s.runId}:${to}`, maxLagEvents: w.maxLagEvents, holdMs: w.holdMs, proxyLiveMs: w.proxyLiveMs, quiesce: u.quiesce },
  };
};

/** The resume point of a run that continued as new, when `index` is its step. */
const resumedAt = (s: S, index: number): MigrationResume | undefined =>
  (s.input.resume && index === s.input.resume.stepIndex ? s.input.resume : undefined);

const abortIfRequested = (s: S, ev: Ev, otherwise: () => CutoverDecision): CutoverDecision =>
  (s.abortReason !== undefined ? go(s, { at: 'rollback', why: s.abortReason }, ev) : otherwise());

/** Goes on from `r` with the event that just arrived (its outcome, if `r` awaited one, and its time). */
const go = (s: S, r: Resume, ev: Ev): CutoverDecision => {
  const c = cfg(s);
  const steps = s.view.steps;
  switch (r.at) {
    case 'begin': {
      if (s.input.resume) return go(s, { at: 'enter-step', index: s.input.resume.stepIndex }, ev);
      return audit(s, ev, 'step', `migration ${c.name} started${s.input.startedBy ? ` by ${s.input.startedBy}` : ''}: ${steps.map((x) => x.name).join(' → ')}`,
        { routes: c.routes, flag: c.flag, service: c.service }, { at: 'start-audited' });
    }
    case 'start-audited':
      return give(s, { type: 'ensure-flag', flag: c.flag }, { at: 'flag-ensured' });
    case 'flag-ensured':
      return go(s, { at: 'parity', when: 'before the first step', then: { at: 'enter-step', index: 0 } }, ev);

    case 'enter-step': {
      const step = steps[r.index];
      if (!step) return go(s, { at: 'complete' }, ev);
      s.view.stepIndex = r.index;
      s.view.step = step.name;
      s.view.status = s.paused ? 'paused' : 'running';
      return flushThen(s, ev, { at: 'step-flushed', index: r.index });
    }
    case 'step-flushed': return abortIfRequested(s, ev, () => {
      const step = steps[r.index]!;
      const from = resumedAt(s, r.index);
      if (from) {
        // a run that continued as new picks the hold up where the last one was (flag set, approval given)
        return audit(s, ev, 'decision', `continued as new run ${s.view.runs} (Temporal history kept short) in ${step.name}, held ${Math.round(from.heldMs / 1000)} s of ${step.holdMs / 1000} s`,
          undefined, { at: 'hold-start', index: r.index });
      }
      if (!step.requiresApproval) return go(s, { at: 'step-approved', index: r.index }, ev);
      const needed = s.approvals + 1;
      s.view.status = 'awaiting-approval';
      s.view.waitingFor = `approval of ${step.name} (ficus migrate approve ${c.name})`;
      return audit(s, ev, 'wait', `${step.name} requires approval: waiting for \`ficus migrate approve ${c.name}\``, undefined, { at: 'approval-wait', index: r.index, needed });
    });
    case 'approval-wait':
      return give(s, { type: 'wait', until: { for: 'approval', needed: r.needed } }, { at: 'approval-woke', index: r.index, needed: r.needed });
    case 'approval-woke':
      // an approval counts only while a step waits for one; other signals are written as they come
      if (s.approvals < r.needed && s.abortReason === undefined) return flushThen(s, ev, { at: 'approval-wait', index: r.index, needed: r.needed });
      return flushThen(s, ev, { at: 'approval-done', index: r.index });
    case 'approval-done': return abortIfRequested(s, ev, () => {
      s.view.waitingFor = null;
      s.view.status = s.paused ? 'paused' : 'running';
      return go(s, { at: 'step-approved', index: r.index }, ev);
    });
    case 'step-approved': {
      const step = steps[r.index]!;
      if (step.mode === 'write-switch') return go(s, { at: 'write-switch', index: r.index }, ev);
      return audit(s, ev, 'step', `${step.name}: ${c.flag} → ${step.mode} ${step.percent}%; hold ${step.holdMs / 1000} s, gates every ${c.checkIntervalSeconds} s`,
        undefined, { at: 'step-announced', index: r.index });
    }
    case 'step-announced': {
      const step = steps[r.index]!;
      return setMode(s, c.flag, step.mode as RouteMode, step.percent, false, { at: 'hold-start', index: r.index });
    }

    case 'flush': return flushThen(s, ev, r.then);

    case 'mode-set':
      if (r.waiting) return audit(s, ev, 'decision', `Unleash answered again: ${r.flag} set to ${r.mode} ${r.percent}%`, undefined, { at: 'mode-settled', then: r.then });
      return go(s, { at: 'mode-settled', then: r.then }, ev);
    case 'mode-settled':
      s.view.waitingFor = null;
      return go(s, r.then, ev);
    case 'mode-wait':
      return give(s, { type: 'wait', until: r.duringRollback ? { for: 'timeout' } : { for: 'abort' }, timeoutMs: intervalMs(s) }, { ...r, at: 'mode-woke' });
    case 'mode-woke':
      if (!r.duringRollback && s.abortReason !== undefined) return go(s, { at: 'rollback', why: s.abortReason }, ev);
      return give(s, { type: 'set-mode', request: { flag: r.flag, mode: r.mode, percent: r.percent } }, { ...r, at: 'mode-set' });

    case 'parity':
      if (!c.gates.parity) return go(s, r.then, ev);
      return give(s, { type: 'verify-parity', request: { name: c.name, tables: c.tables, databases: c.databases } }, { at: 'parity-verified', when: r.when, then: r.then });
    case 'parity-verified': {
      const p = outcome(ev, 'parity-verified').parity;
      const g = c.gates.parity!;
      const [v] = evaluateGates({ parity: g }, c.routes, { phase: 'canary', parity: p });
      s.view.gates = [...s.view.gates.filter((x) => x.gate !== 'parity'), v!];
      const then: Resume = v!.ok === false
        ? { at: 'rollback', why: `gate parity failed ${r.when}: ${p.differencesTotal} differing rows (max ${g.maxDifferences}): ${p.summary}` }
        : r.then;
      return audit(s, ev, 'gate', `data parity ${r.when}: ${p.summary}`, { gate: 'parity', ok: v!.ok, value: v!.value, threshold: v!.threshold }, then);
    }

    case 'hold-start': {
      s.view.heldMs = resumedAt(s, r.index)?.heldMs ?? 0;
      s.view.holdMs = steps[r.index]!.holdMs;
      if (fromPromql(s)) {
        // PromQL rates over a trailing window: no sample to take at the start
        const from = resumedAt(s, r.index);
        s.hold = { lastWait: from?.lastWait ?? null, checks: from?.checks ?? 0, t0: ev.now };
        return go(s, { at: 'hold-loop', index: r.index }, ev);
      }
      return give(s, { type: 'sample-metrics', routes: c.routes }, { at: 'hold-started', index: r.index });
    }
    case 'hold-started': {
      const from = resumedAt(s, r.index);
      s.hold = { before: outcome(ev, 'sampled').sample, lastWait: from?.lastWait ?? null, checks: from?.checks ?? 0, t0: ev.now };
      return go(s, { at: 'hold-loop', index: r.index }, ev);
    }
    case 'hold-loop': {
      const h = s.hold!;
      if (!(s.view.heldMs < s.view.holdMs || h.checks === 0)) return go(s, { at: 'hold-end', index: r.index }, ev);
      s.hold = { ...h, t0: ev.now };
      return give(s, { type: 'wait', until: { for: 'abort-or-signal' }, timeoutMs: intervalMs(s) }, { at: 'hold-woke', index: r.index });
    }
    case 'hold-woke': return flushThen(s, ev, { at: 'hold-flushed', index: r.index });
    case 'hold-flushed': return abortIfRequested(s, ev, () => {
      // woken by a signal: the window is not over yet
      if (ev.now - s.hold!.t0 < intervalMs(s)) return go(s, { at: 'hold-loop', index: r.index }, ev);
      if (fromPromql(s)) {
        const window = Math.max(c.checkIntervalSeconds, c.gates.metrics!.minWindowSeconds);
        return give(s, { type: 'query-gate-metrics', queries: gateQueriesFor(c.gates, c.routes, phaseOf(steps[r.index]!), window) }, { at: 'hold-queried', index: r.index });
      }
      return give(s, { type: 'sample-metrics', routes: c.routes }, { at: 'hold-sampled', index: r.index });
    });
    case 'hold-queried': {
      const o = outcome(ev, 'gate-metrics');
      const { fleet: _last, ...h } = s.hold!;
      s.hold = { ...h, ...(o.figures ? { fleet: o.figures } : {}), after: o.error !== undefined ? { error: o.error } : {}, probe: undefined, lag: undefined };
      return probeOrReadLag(s, ev, r.index);
    }
    case 'hold-sampled': {
      const o = outcome(ev, 'sampled');
      s.hold = { ...s.hold!, after: { ...(o.sample ? { sample: o.sample } : {}), ...(o.error !== undefined ? { error: o.error } : {}) }, probe: undefined, lag: undefined };
      return probeOrReadLag(s, ev, r.index);
    }
    case 'hold-probed':
      s.hold = { ...s.hold!, probe: outcome(ev, 'probed').probe };
      return readLagOrCheck(s, ev, r.index);
    case 'hold-lag-read':
      s.hold = { ...s.hold!, lag: outcome(ev, 'lag-read').lag };
      return checkGates(s, ev, r.index);
    case 'hold-counted': {
      const h = s.hold!;
      const step = steps[r.index]!;
      s.view.waitingFor = r.wait;
      s.view.status = s.paused ? 'paused' : r.wait ? 'waiting' : 'running';
      if (!r.wait) s.view.heldMs = Math.min(step.holdMs, s.view.heldMs + (ev.now - h.t0));
      if (step.holdMs === 0) return go(s, { at: 'hold-end', index: r.index }, ev);
      if (s.view.heldMs < step.holdMs && historyIsLong(s, ev)) return flushThen(s, ev, { at: 'continue-as-new', index: r.index });
      return go(s, { at: 'hold-loop', index: r.index }, ev);
    }
    case 'continue-as-new': return abortIfRequested(s, ev, () => {
      // past Temporal's suggestion or our own bound: the hold goes on in a new run with a short history
      const h = s.hold!;
      const resume: MigrationResume = {
        stepIndex: s.view.stepIndex, heldMs: s.view.heldMs, checks: h.checks, lastWait: h.lastWait, seq: s.seq, paused: s.paused, lastLegacyP99: s.lastLegacyP99,
        pendingSignals: [...s.pendingSignals], audit: s.view.audit, gates: s.view.gates, lastCheckAt: s.view.lastCheckAt, runs: s.view.runs,
      };
      return give(s, { type: 'continue-as-new', input: { ...s.input, resume } }, r);
    });
    case 'hold-end': {
      const step = steps[r.index]!;
      return audit(s, ev, 'gate', `${step.name} held ${Math.round(s.view.heldMs / 1000)} s with every gate passing`, { gates: s.view.gates }, { at: 'step-end', index: r.index });
    }
    case 'step-end':
      if (c.gates.parity?.atEachStep) return go(s, { at: 'parity', when: `at the end of ${steps[r.index]!.name}`, then: { at: 'enter-step', index: r.index + 1 } }, ev);
      return go(s, { at: 'enter-step', index: r.index + 1 }, ev);

    case 'write-switch':
      if (!c.writeUnit) return go(s, { at: 'rollback', why: `writes.unit ${c.writes!.unit} was not resolved against the catalogue (start the migration with \`ficus migrate start\`)` }, ev);
      return go(s, { at: 'parity', when: 'before the write switch', then: { at: 'write-switch-ready', index: r.index } }, ev);
    case 'write-switch-ready': {
      const u = c.writeUnit!;
      return audit(s, ev, 'step', `write switch: unit ${u.name} (tables ${u.legacyTables.join(', ')}; routes ${u.writeRoutes.join(', ')}) → service: lag gate, hold writes at the proxies (≤ ${c.writes!.holdMs} ms), drain the sync to the owner's GTID position, flip, release`,
        undefined, { at: 'write-switch-announced', index: r.index });
    }
    case 'write-switch-announced':
      s.view.writeCutover = 'in-progress';
      return give(s, switchCommand(s, 'service'), { at: 'write-switched', index: r.index });
    case 'write-switched': {
      const o = outcome(ev, 'switched').outcome;
      s.view.writeCutover = o.result === 'already' ? 'already-owned' : 'done';
      return audit(s, ev, 'step', `write switch done: ${describeSwitch(o)}`, { switch: o },
        { at: 'parity', when: 'after the write switch', then: { at: 'enter-step', index: r.index + 1 } });
    }

    case 'complete':
      s.view.status = 'completed';
      s.view.step = 'done';
      s.view.waitingFor = null;
      return audit(s, ev, 'done', `migration ${c.name} complete: ${c.service} serves 100%${c.writes ? `, writes of unit ${c.writes.unit} owned by the service` : ''}`,
        undefined, { at: 'finish', result: { status: 'completed', reason: null, state: s.view } });
    case 'finish':
      return { state: s, command: { type: 'finish', result: { ...r.result, state: s.view } } };

    case 'rollback':
      s.rollingBack = r.why;
      s.view.reason = r.why;
      return audit(s, ev, 'rollback', `rolling back to legacy: ${r.why}`, undefined, { at: 'rollback-writes' });
    case 'rollback-writes':
      // the same switch the other way: nothing written on the service is lost (the reverse sync drains first)
      if (c.writes && (s.view.writeCutover === 'in-progress' || s.view.writeCutover === 'done')) return give(s, switchCommand(s, 'legacy'), { at: 'rollback-writes-done' });
      return go(s, { at: 'rollback-flag' }, ev);
    case 'rollback-writes-done': {
      const o = outcome(ev, 'switched').outcome;
      s.view.writeCutover = 'rolled-back';
      return audit(s, ev, 'rollback', `writes back on legacy: ${describeSwitch(o)}`, { switch: o }, { at: 'rollback-flag' });
    }
    case 'rollback-flag':
      return setMode(s, c.flag, 'legacy', 100, true, { at: 'rollback-flag-off' });
    case 'rollback-flag-off':
      return audit(s, ev, 'rollback', `${c.flag} is off: every route of ${c.name} is served by legacy`, undefined, { at: 'rollback-end' });
    case 'rollback-end': {
      const why = s.rollingBack!;
      const aborted = s.abortReason !== undefined && why === s.abortReason;
      s.view.status = aborted ? 'aborted' : 'rolled-back';
      s.view.waitingFor = null;
      const result: CutoverResult = { status: aborted ? 'aborted' : 'rolled-back', reason: why, state: s.view };
      return audit(s, ev, 'done', aborted ? `migration ${c.name} aborted; routes on legacy` : `migration ${c.name} rolled back; routes on legacy`, undefined, { at: 'finish', result });
    }
  }
};

const phaseOf = (step: StepView): 'shadow' | 'canary' => (step.mode === 'shadow' ? 'shadow' : 'canary');

const historyIsLong = (s: S, ev: Ev) => ev.continueAsNewSuggested || ev.historyLength >= (s.input.continueAsNewAfterEvents ?? CONTINUE_AS_NEW_AFTER_EVENTS);

const outcome = <T extends Ev['type']>(ev: Ev, type: T): Extract<Ev, { type: T }> => {
  if (ev.type !== type) throw new TypeError(`cutover machine: expected outcome ${type}, got ${ev.type}`);
  return ev as Extract<Ev, { type: T }>;
};

/** The gates read one proxy's /metrics (runs started before gates.metrics existed have none) or PromQL. */
const fromPromql = (s: S) => cfg(s).gates.metrics?.source === 'promql';

const probeOrReadLag = (s: S, ev: Ev, index: number): CutoverDecision => {
  const c = cfg(s);
  if (c.gates.probes && phaseOf(s.view.steps[index]!) === 'canary') {
    return give(s, { type: 'run-probes', request: { service: c.service, paths: [...c.gates.probes.paths], ignoreKeys: [...c.gates.probes.ignoreKeys] } }, { at: 'hold-probed', index });
  }
  return readLagOrCheck(s, ev, index);
};

const readLagOrCheck = (s: S, ev: Ev, index: number): CutoverDecision => {
  const c = cfg(s);
  if (c.gates.cdcLag) return give(s, { type: 'read-cdc-lag', domain: lagDomain(c.service) }, { at: 'hold-lag-read', index });
  return checkGates(s, ev, index);
};

/** One check of the hold: the gates over the window; a failed one rolls back, one without data holds without counting. */
const checkGates = (s: S, ev: Ev, index: number): CutoverDecision => {
  const c = cfg(s);
  const step = s.view.steps[index]!;
  const h = s.hold!;
  const inputs: GateInputs = { phase: phaseOf(step), before: h.before, after: h.after?.sample, metricsError: h.after?.error, lastLegacyP99: s.lastLegacyP99 };
  if (fromPromql(s)) inputs.metricsSource = 'promql';
  if (h.fleet) inputs.fleet = h.fleet;
  if (h.probe) inputs.probe = h.probe;
  if (h.lag) inputs.lag = h.lag;
  const results = evaluateGates(c.gates, c.routes, inputs);
  for (const x of results) if (x.gate === 'p99VsLegacy' && x.reference !== undefined) s.lastLegacyP99 = x.reference;
  s.view.gates = results;
  s.view.lastCheckAt = iso(ev.now);
  const checks = h.checks + 1;
  const before = h.after?.sample ?? h.before;
  const failed = failedGate(results);
  if (failed) {
    s.hold = { ...h, checks, before };
    return audit(s, ev, 'gate', `gate ${failed.gate} failed: ${failed.detail}`, { gate: failed.gate, value: failed.value, threshold: failed.threshold, gates: results },
      { at: 'rollback', why: `gate ${failed.gate} failed during ${step.name}: ${failed.detail}` });
  }
  const unknown = results.filter((x) => x.ok === null);
  const wait = s.paused ? 'paused' : unknown.length ? unknown.map((x) => `${x.gate}: ${x.detail}`).join('; ') : null;
  const lastWait = h.lastWait;
  s.hold = { ...h, checks, before, lastWait: wait };
  const counted: Resume = { at: 'hold-counted', index, wait };
  if (wait !== lastWait) {
    if (wait && !s.paused) return audit(s, ev, 'wait', `holding without counting: ${wait}`, { gates: results }, counted);
    if (!wait && lastWait && lastWait !== 'paused') return audit(s, ev, 'gate', 'every gate has data again', { gates: results }, counted);
  }
  return go(s, counted, ev);
};
