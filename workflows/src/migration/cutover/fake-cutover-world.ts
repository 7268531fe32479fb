// Runs the cutover step machine against a scripted world, for unit tests: a clock that moves by
// `activityMs` per activity and to a wait's end (or the next signal), a history that grows per
// command, signals at a time or when a command is given, and outcomes chosen by the test.
// Every state is frozen before it is decided on, so a machine that mutated its input would throw.
import { decideCutover, receiveSignal, startCutover, waitIsOver } from './cutover-machine.ts';
import type {
  CutoverCommand, CutoverMachineState, CutoverOutcome, CutoverSignal,
} from './cutover-machine-types.ts';
import type { CutoverInput, MigrationState } from '../migration-types.ts';

export interface ScriptedSignal {
  signal: CutoverSignal;
  /** Delivered once the clock reaches this time (ms since the run started)… */
  at?: number;
  /** …or while the first command this matches runs (after it was given, before its outcome). */
  on?: (cmd: CutoverCommand, state: CutoverMachineState) => boolean;
}

export interface FakeWorldOptions {
  /** The outcome of a command; undefined: the default (every activity succeeds, every gate passes). */
  respond?: (cmd: CutoverCommand, step: string) => CutoverOutcome | undefined;
  signals?: ScriptedSignal[];
  runId?: string;
  activityMs?: number;
  /** History events each command adds (Temporal adds about 6 per activity). */
  eventsPerCommand?: number;
  continueAsNewSuggestedAt?: number;
  maxCommands?: number;
}

export interface GivenCommand { cmd: CutoverCommand; at: number; view: MigrationState }

export interface FakeRun {
  given: GivenCommand[];
  /** The last command: finish, fail or continue-as-new; `stuck` when a wait without timeout could never end. */
  end: CutoverCommand | { type: 'stuck' };
  state: CutoverMachineState;
}

const freeze = <T>(x: T): T => {
  if (x && typeof x === 'object' && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) freeze(v);
  }
  return x;
};

const defaultOutcome = (cmd: CutoverCommand): CutoverOutcome => {
  switch (cmd.type) {
    case 'sample-metrics': return { type: 'sampled', error: 'no proxy in this test' };
    case 'query-gate-metrics': return { type: 'gate-metrics', error: 'no metrics server in this test' };
    case 'run-probes': return { type: 'probed', probe: { total: 2, mismatched: 0, failed: 0, examples: [] } };
    case 'read-cdc-lag': return { type: 'lag-read', lag: { events: 0, seconds: 0.1 } };
    case 'verify-parity': return { type: 'parity-verified', parity: { clean: true, differencesTotal: 0, rowsCompared: 10, summary: '10 rows compared, clean' } };
    case 'switch-writes': return {
      type: 'switched',
      outcome: { unit: cmd.request.unit, from: cmd.request.to === 'service' ? 'legacy' : 'service', to: cmd.request.to, result: 'switched', heldMs: 40, position: '0-1-9', steps: [{ step: 'hold', ms: 40 }] },
    };
    default: return { type: 'done' };
  }
};

/** The world's clock and the signals not delivered yet: one per migration, shared by its runs. */
interface World { t0: number; now: number; pending: ScriptedSignal[] }

/** Runs one Temporal run of the machine until it finishes, fails, continues as new or could never go on. */
export const runCutover = (input: CutoverInput, o: FakeWorldOptions = {}, world?: World): FakeRun => {
  const activityMs = o.activityMs ?? 50;
  const perCommand = o.eventsPerCommand ?? 6;
  const w = world ?? { t0: 1_800_000_000_000, now: 1_800_000_000_000, pending: [...(o.signals ?? [])] };
  const { t0, pending } = w;
  let now = w.now;
  let historyLength = 3;
  let m = startCutover(input, o.runId ?? 'run-1');
  const given: GivenCommand[] = [];
  const deliver = (s: ScriptedSignal) => { pending.splice(pending.indexOf(s), 1); m = receiveSignal(m, s.signal); };
  const deliverDue = () => { for (const s of pending.filter((x) => x.at !== undefined && t0 + x.at <= now)) deliver(s); };

  let outcome: CutoverOutcome = { type: 'started' };
  for (let n = 0; n < (o.maxCommands ?? 5000); n++) {
    const d = decideCutover(freeze(m), { ...outcome, now, historyLength, continueAsNewSuggested: o.continueAsNewSuggestedAt !== undefined && historyLength >= o.continueAsNewSuggestedAt });
    m = d.state;
    const cmd = d.command;
    given.push({ cmd, at: now - t0, view: m.view });
    if (cmd.type === 'finish' || cmd.type === 'fail' || cmd.type === 'continue-as-new') { w.now = now; return { given, end: cmd, state: m }; }
    historyLength += perCommand;
    for (const s of pending.filter((x) => x.on?.(cmd, m))) deliver(s);
    if (cmd.type === 'wait') {
      const deadline = cmd.timeoutMs === undefined ? Infinity : now + cmd.timeoutMs;
      while (!waitIsOver(m, cmd.until)) {
        const next = pending.filter((x) => x.at !== undefined).sort((a, b) => a.at! - b.at!)[0];
        if (next && t0 + next.at! <= deadline) { now = Math.max(now, t0 + next.at!); deliverDue(); continue; }
        if (deadline === Infinity) return { given, end: { type: 'stuck' }, state: m };
        now = deadline;
        break;
      }
      outcome = { type: 'woke' };
    } else {
      now += activityMs;
      deliverDue();
      outcome = o.respond?.(cmd, m.view.step) ?? defaultOutcome(cmd);
    }
  }
  throw new Error('fake cutover world: too many commands (a loop that never ends?)');
};

/** Runs a migration across its runs (each continue-as-new starts the next with its input), as Temporal would. */
export const runCutoverChain = (input: CutoverInput, o: FakeWorldOptions = {}): FakeRun[] => {
  const runs: FakeRun[] = [];
  const world: World = { t0: 1_800_000_000_000, now: 1_800_000_000_000, pending: [...(o.signals ?? [])] };
  let next: CutoverInput | undefined = input;
  while (next) {
    const r = runCutover(next, o, world);
    runs.push(r);
    next = r.end.type === 'continue-as-new' ? r.end.input : undefined;
    if (runs.length > 100) throw new Error('fake cutover world: more than 100 runs');
  }
  return runs;
};

/** The audit lines a run wrote, as `kind: message`. */
export const auditLines = (r: FakeRun) => r.given.flatMap((g) => (g.cmd.type === 'audit' ? [`${g.cmd.entry.kind}: ${g.cmd.entry.message}`] : []));
/** The flag changes a run asked for, as `mode percent`. */
export const modeChanges = (r: FakeRun) => r.given.flatMap((g) => (g.cmd.type === 'set-mode' ? [`${g.cmd.request.mode} ${g.cmd.request.percent}`] : []));
