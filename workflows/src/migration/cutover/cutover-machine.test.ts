import { expect } from 'chai';
import { auditLines, modeChanges, runCutover, runCutoverChain, type FakeRun } from './fake-cutover-world.ts';
import { cutoverSteps, decideCutover, receiveSignal, startCutover } from './cutover-machine.ts';
import type { CutoverCommand } from './cutover-machine-types.ts';
import type { CutoverInput, MigrationResume } from '../migration-types.ts';

type Declaration = CutoverInput['config'];

const declaration = (o: Partial<Declaration> = {}): Declaration => ({
  name: 'catalog', service: 'catalog', flag: 'ficus.route.catalog', routes: ['catalog-products'],
  databases: { legacy: 'legacy', service: 'svc_catalog' }, tables: [{ legacy: 'products', service: 'products', mapping: 'productsToCatalog' }],
  checkIntervalSeconds: 1,
  shadow: { percent: 100, holdSeconds: 3, requiresApproval: false },
  canary: [{ percent: 25, holdSeconds: 2, requiresApproval: false }, { percent: 100, holdSeconds: 2, requiresApproval: false }],
  gates: { cdcLag: { maxEvents: 1000, maxSeconds: 5 } },
  units: [],
  ...o,
});
const withWrites = (o: Partial<Declaration> = {}): Declaration => declaration({
  writes: { unit: 'shop', requiresApproval: false, maxLagEvents: 1000, holdMs: 3000, proxyLiveMs: 30_000 },
  writeUnit: { name: 'shop', declaredIn: 'orders', writeRoutes: ['orders-write'], legacyTables: ['products'], domains: ['catalog'], quiesce: [] },
  ...o,
});
const input = (config: Declaration, o: Partial<CutoverInput> = {}): CutoverInput => ({ config, startedBy: 'ops', ...o });

const commandsOf = <T extends CutoverCommand['type']>(r: FakeRun, type: T) =>
  r.given.flatMap((g) => (g.cmd.type === type ? [g.cmd as Extract<CutoverCommand, { type: T }>] : []));
const result = (r: FakeRun) => {
  if (r.end.type !== 'finish') throw new Error(`expected the run to finish, it ended with ${r.end.type}`);
  return r.end.result;
};
const lagOver = { type: 'lag-read', lag: { events: 5000, seconds: 9 } } as const;

describe('cutover step machine', () => {
  it('runs straight through: start, each step set and held with its gates, done', () => {
    const r = runCutover(input(declaration()));
    const res = result(r);
    expect(res.status).to.equal('completed');
    expect(res.reason).to.equal(null);
    expect(res.state).to.include({ status: 'completed', step: 'done', waitingFor: null, writeCutover: 'not-configured', runs: 1 });
    expect(modeChanges(r)).to.deep.equal(['shadow 100', 'canary 25', 'service 100']);
    const lines = auditLines(r);
    expect(lines[0]).to.equal('step: migration catalog started by ops: shadow → canary-25% → service-100%');
    expect(lines).to.include.members([
      'step: shadow: ficus.route.catalog → shadow 100%; hold 3 s, gates every 1 s',
      'gate: shadow held 3 s with every gate passing',
      'gate: canary-25% held 2 s with every gate passing',
      'gate: service-100% held 2 s with every gate passing',
    ]);
    expect(lines.at(-1)).to.equal('done: migration catalog complete: catalog serves 100%');
    // the order of the first commands is what the recorded histories replay
    expect(r.given.slice(0, 6).map((g) => g.cmd.type)).to.deep.equal(['audit', 'ensure-flag', 'audit', 'set-mode', 'sample-metrics', 'wait']);
    const audits = commandsOf(r, 'audit').map((a) => a.entry);
    expect(audits.map((a) => a.seq)).to.deep.equal(audits.map((_, i) => i + 1));
    expect(res.state.audit).to.deep.equal(audits);
    // no probes configured: a check reads the metrics and the CDC lag, one interval apart
    expect(commandsOf(r, 'read-cdc-lag').map((c) => c.domain)).to.have.length.greaterThan(5).and.satisfy((d: string[]) => d.every((x) => x === 'catalog'));
    expect(commandsOf(r, 'wait').every((w) => w.timeoutMs === 1000 && w.until.for === 'abort-or-signal')).to.equal(true);
  });

  it('runs the probes in canary steps only, with the configured paths', () => {
    const r = runCutover(input(declaration({ gates: { probes: { paths: ['/api/products'], maxMismatchRate: 0, ignoreKeys: ['requestId'] } } })));
    expect(result(r).status).to.equal('completed');
    const probedIn = new Set(r.given.filter((g) => g.cmd.type === 'run-probes').map((g) => g.view.step));
    expect([...probedIn]).to.deep.equal(['canary-25%', 'service-100%']);
    expect(commandsOf(r, 'run-probes')[0]!.request).to.deep.equal({ service: 'catalog', paths: ['/api/products'], ignoreKeys: ['requestId'] });
  });

  it('stops the hold clock while paused (gates still checked) and counts again after resume', () => {
    const r = runCutover(input(declaration({ shadow: { percent: 100, holdSeconds: 4, requiresApproval: false } })), {
      signals: [{ at: 1500, signal: { kind: 'pause', by: 'ann' } }, { at: 6500, signal: { kind: 'resume', by: 'ann' } }],
    });
    expect(result(r).status).to.equal('completed');
    const lines = auditLines(r);
    expect(lines).to.include.members(['signal: paused: the hold clock stops, gates are still checked', 'signal: resumed']);
    expect(commandsOf(r, 'audit').find((a) => a.entry.message === 'resumed')!.entry.data).to.deep.equal({ signal: 'resume', by: 'ann' });
    const paused = r.given.filter((g) => g.at > 1500 && g.at < 6500 && g.view.step === 'shadow');
    const heldWhilePaused = new Set(paused.filter((g) => g.view.status === 'paused').map((g) => g.view.heldMs));
    expect(heldWhilePaused.size, 'heldMs frozen while paused').to.equal(1);
    expect(paused.filter((g) => g.cmd.type === 'read-cdc-lag').length, 'gates checked while paused').to.be.at.least(3);
    expect(paused.some((g) => g.view.status === 'paused' && g.view.waitingFor === 'paused')).to.equal(true);
    // the shadow step ends 4 s of counted hold after it began, plus the 5 s paused
    const shadowEnd = r.given.find((g) => g.cmd.type === 'audit' && g.cmd.entry.message.startsWith('shadow held'))!;
    expect(shadowEnd.at).to.be.greaterThan(4000 + 5000);
    expect(lines.some((l) => l.startsWith('wait: holding without counting'))).to.equal(false);
  });

  it('waits for an approval given while the step waits (an earlier one does not count), writing other signals meanwhile', () => {
    const config = declaration({ canary: [{ percent: 100, holdSeconds: 1, requiresApproval: true }] });
    const early = runCutover(input(config), { signals: [{ at: 500, signal: { kind: 'approve', by: 'bob' } }] });
    expect(early.end.type, 'an approval before the step waits does not count').to.equal('stuck');
    const waiting = early.given.at(-1)!;
    expect(waiting.cmd).to.deep.equal({ type: 'wait', until: { for: 'approval', needed: 2 } });
    expect(waiting.view).to.include({ status: 'awaiting-approval', step: 'service-100%', waitingFor: 'approval of service-100% (ficus migrate approve catalog)' });
    expect(modeChanges(early)).to.deep.equal(['shadow 100']);

    const isApprovalWait = (c: CutoverCommand) => c.type === 'wait' && c.until.for === 'approval';
    const r = runCutover(input(config), {
      signals: [
        { on: isApprovalWait, signal: { kind: 'pause', by: 'bob' } },
        { at: 20_000, signal: { kind: 'approve', by: 'bob', step: 'service-100%' } },
        { at: 21_000, signal: { kind: 'resume', by: 'bob' } },
      ],
    });
    expect(result(r).status).to.equal('completed');
    const lines = auditLines(r);
    const i = lines.indexOf('wait: service-100% requires approval: waiting for `ficus migrate approve catalog`');
    expect(lines.slice(i, i + 4)).to.deep.equal([
      'wait: service-100% requires approval: waiting for `ficus migrate approve catalog`',
      'signal: paused: the hold clock stops, gates are still checked',
      'signal: approved (service-100%)',
      'step: service-100%: ficus.route.catalog → service 100%; hold 1 s, gates every 1 s',
    ]);
    expect(r.given.find((g) => g.cmd.type === 'set-mode' && g.cmd.request.mode === 'service')!.view.status, 'still paused after the approval').to.equal('paused');
  });

  describe('abort at any step', () => {
    const isAudit = (prefix: string) => (c: CutoverCommand) => c.type === 'audit' && c.entry.message.startsWith(prefix);
    const cases: Array<[string, (c: CutoverCommand) => boolean, string[]]> = [
      ['before the first step', isAudit('migration catalog started'), []],
      ['shadow', isAudit('shadow:'), ['shadow 100']],
      ['canary-25%', isAudit('canary-25%:'), ['shadow 100', 'canary 25']],
      ['service-100%', isAudit('service-100%:'), ['shadow 100', 'canary 25', 'service 100']],
      ['the write switch, waiting for its approval', (c) => c.type === 'wait' && c.until.for === 'approval', ['shadow 100', 'canary 25', 'service 100']],
    ];
    for (const [where, on, modes] of cases) {
      it(`aborts during ${where}: rolls back to legacy, reason in the result and the audit log`, () => {
        const config = withWrites({ writes: { unit: 'shop', requiresApproval: true, maxLagEvents: 1000, holdMs: 3000, proxyLiveMs: 30_000 } });
        const r = runCutover(input(config), { signals: [{ on, signal: { kind: 'abort', by: 'carol', reason: 'not today' } }] });
        const res = result(r);
        expect(res).to.include({ status: 'aborted', reason: 'aborted by carol: not today' });
        expect(res.state).to.include({ status: 'aborted', reason: 'aborted by carol: not today', waitingFor: null });
        expect(modeChanges(r)).to.deep.equal([...modes, 'legacy 100']);
        expect(commandsOf(r, 'switch-writes'), 'writes never moved').to.deep.equal([]);
        const lines = auditLines(r);
        const abortAt = lines.indexOf('signal: abort requested: not today');
        expect(abortAt).to.be.greaterThan(-1);
        expect(lines.slice(abortAt + 1)).to.deep.equal([
          'rollback: rolling back to legacy: aborted by carol: not today',
          'rollback: ficus.route.catalog is off: every route of catalog is served by legacy',
          'done: migration catalog aborted; routes on legacy',
        ]);
      });
    }

    it('keeps the first abort reason when aborted twice', () => {
      const s = receiveSignal(receiveSignal(startCutover(input(declaration()), 'r'), { kind: 'abort', reason: 'one' }), { kind: 'abort', by: 'x', reason: 'two' });
      expect(s.abortReason).to.equal('aborted by an operator: one');
      expect(s.pendingSignals.map((p) => p.text)).to.deep.equal(['abort requested: one', 'abort requested: two']);
    });
  });

  it('rolls back when a gate fails, with the gate and the step in the reason', () => {
    const r = runCutover(input(declaration()), { respond: (c, step) => (c.type === 'read-cdc-lag' && step === 'canary-25%' ? lagOver : undefined) });
    const res = result(r);
    expect(res.status).to.equal('rolled-back');
    expect(res.reason).to.match(/^gate cdcLag failed during canary-25%: consumer lag 5000 events/);
    expect(modeChanges(r)).to.deep.equal(['shadow 100', 'canary 25', 'legacy 100']);
    const failed = commandsOf(r, 'audit').find((a) => a.entry.message.startsWith('gate cdcLag failed'))!;
    expect(failed.entry).to.include({ kind: 'gate', step: 'canary-25%' });
    expect(failed.entry.data).to.include({ gate: 'cdcLag', value: 9, threshold: 5 });
    expect(auditLines(r).at(-1)).to.equal('done: migration catalog rolled back; routes on legacy');
  });

  it('holds without counting while a gate has no data, and says when data is back', () => {
    let unreadable = 3;
    const r = runCutover(input(declaration()), {
      respond: (c, step) => (c.type === 'read-cdc-lag' && step === 'shadow' && unreadable-- > 0 ? { type: 'lag-read', lag: { events: null, seconds: null, error: 'Kafka down' } } : undefined),
    });
    expect(result(r).status).to.equal('completed');
    const lines = auditLines(r);
    expect(lines).to.include.members(['wait: holding without counting: cdcLag: CDC lag not readable: Kafka down', 'gate: every gate has data again']);
    const waiting = r.given.filter((g) => g.view.waitingFor?.startsWith('cdcLag'));
    expect(waiting.length).to.be.greaterThan(0);
    expect(waiting.every((g) => g.view.status === 'waiting' && g.view.heldMs === 0)).to.equal(true);
  });

  describe('data parity', () => {
    const differing = { type: 'parity-verified', parity: { clean: false, differencesTotal: 3, rowsCompared: 10, summary: '3 rows differ' } } as const;

    it('checks parity before the first step and rolls back when it differs', () => {
      const r = runCutover(input(declaration({ gates: { cdcLag: { maxEvents: 10 }, parity: { maxDifferences: 0, atEachStep: false } } })), {
        respond: (c) => (c.type === 'verify-parity' ? differing : undefined),
      });
      expect(result(r)).to.include({ status: 'rolled-back', reason: 'gate parity failed before the first step: 3 differing rows (max 0): 3 rows differ' });
      expect(modeChanges(r)).to.deep.equal(['legacy 100']);
      expect(commandsOf(r, 'verify-parity')[0]!.request).to.deep.equal({ name: 'catalog', tables: declaration().tables, databases: declaration().databases });
      const parityLine = commandsOf(r, 'audit').find((a) => a.entry.message.startsWith('data parity'))!.entry;
      expect(parityLine).to.include({ message: 'data parity before the first step: 3 rows differ', step: 'start' });
      expect(parityLine.data).to.deep.equal({ gate: 'parity', ok: false, value: 3, threshold: 0 });
      expect(result(r).state.gates.map((g) => g.gate)).to.include('parity');
    });

    it('with atEachStep, checks at the end of each step and rolls back on a difference there', () => {
      let n = 0;
      const r = runCutover(input(declaration({ gates: { cdcLag: { maxEvents: 10 }, parity: { maxDifferences: 0, atEachStep: true } } })), {
        respond: (c) => (c.type === 'verify-parity' && ++n === 3 ? differing : undefined),
      });
      expect(result(r).reason).to.equal('gate parity failed at the end of canary-25%: 3 differing rows (max 0): 3 rows differ');
      expect(auditLines(r).filter((l) => l.startsWith('gate: data parity'))).to.deep.equal([
        'gate: data parity before the first step: 10 rows compared, clean',
        'gate: data parity at the end of shadow: 10 rows compared, clean',
        'gate: data parity at the end of canary-25%: 3 rows differ',
      ]);
    });
  });

  describe('write switch', () => {
    it('moves the unit\'s writes last, with parity before and after', () => {
      const r = runCutover(input(withWrites({ gates: { cdcLag: { maxEvents: 10 }, parity: { maxDifferences: 0, atEachStep: false } } })), { runId: 'first-run' });
      const res = result(r);
      expect(res.status).to.equal('completed');
      expect(res.state.writeCutover).to.equal('done');
      expect(commandsOf(r, 'switch-writes').map((c) => c.request)).to.deep.equal([{
        unit: 'shop', to: 'service', domains: ['catalog'], by: 'migration:catalog:first-run:service', maxLagEvents: 1000, holdMs: 3000, proxyLiveMs: 30_000, quiesce: [],
      }]);
      const lines = auditLines(r);
      const i = lines.findIndex((l) => l.startsWith('gate: data parity before the write switch'));
      expect(lines.slice(i, i + 5)).to.deep.equal([
        'gate: data parity before the write switch: 10 rows compared, clean',
        'step: write switch: unit shop (tables products; routes orders-write) → service: lag gate, hold writes at the proxies (≤ 3000 ms), drain the sync to the owner\'s GTID position, flip, release',
        'step: write switch done: unit shop: legacy → service, writes held 40 ms, sync drained to 0-1-9 (hold 40 ms)',
        'gate: data parity after the write switch: 10 rows compared, clean',
        'done: migration catalog complete: catalog serves 100%, writes of unit shop owned by the service',
      ]);
      const during = r.given.find((g) => g.cmd.type === 'switch-writes')!;
      expect(during.view).to.include({ step: 'write-switch', writeCutover: 'in-progress' });
    });

    it('says so when another migration had moved the unit already', () => {
      const r = runCutover(input(withWrites()), {
        respond: (c) => (c.type === 'switch-writes' ? { type: 'switched', outcome: { unit: 'shop', from: 'service', to: 'service', result: 'already', heldMs: 0, position: null, steps: [] } } : undefined),
      });
      expect(result(r).state.writeCutover).to.equal('already-owned');
      expect(auditLines(r)).to.include('step: write switch done: unit shop was already owned by service');
    });

    it('rolls back when the switch fails: writes switched back to legacy first, then the flag', () => {
      const r = runCutover(input(withWrites()), {
        respond: (c) => (c.type === 'switch-writes' && c.request.to === 'service' ? { type: 'failed', message: 'SWITCH_LAG_TOO_HIGH: 5000 events behind', nonRetryable: false } : undefined),
      });
      const res = result(r);
      expect(res).to.include({ status: 'rolled-back', reason: 'write switch failed: SWITCH_LAG_TOO_HIGH: 5000 events behind' });
      expect(res.state.writeCutover).to.equal('rolled-back');
      expect(commandsOf(r, 'switch-writes').map((c) => c.request.to)).to.deep.equal(['service', 'legacy']);
      const lines = auditLines(r);
      expect(lines.slice(-4)).to.deep.equal([
        'rollback: rolling back to legacy: write switch failed: SWITCH_LAG_TOO_HIGH: 5000 events behind',
        'rollback: writes back on legacy: unit shop: service → legacy, writes held 40 ms, sync drained to 0-1-9 (hold 40 ms)',
        'rollback: ficus.route.catalog is off: every route of catalog is served by legacy',
        'done: migration catalog rolled back; routes on legacy',
      ]);
      expect(r.given.findIndex((g) => g.cmd.type === 'switch-writes' && g.cmd.request.to === 'legacy'))
        .to.be.lessThan(r.given.findIndex((g) => g.cmd.type === 'set-mode' && g.cmd.request.mode === 'legacy'));
    });

    it('fails the workflow when switching the writes back fails during the rollback', () => {
      let parityChecks = 0;
      const r = runCutover(input(withWrites({ gates: { cdcLag: { maxEvents: 10 }, parity: { maxDifferences: 0, atEachStep: false } } })), {
        respond: (c) => {
          if (c.type === 'verify-parity' && ++parityChecks === 3) return { type: 'parity-verified', parity: { clean: false, differencesTotal: 1, rowsCompared: 10, summary: '1 row differs' } };
          if (c.type === 'switch-writes' && c.request.to === 'legacy') return { type: 'failed', message: 'SYNC_CONTROL_MISSING', nonRetryable: true };
          return undefined;
        },
      });
      expect(r.end).to.deep.equal({ type: 'fail' });
      expect(r.state.view.reason).to.equal('gate parity failed after the write switch: 1 differing rows (max 0): 1 row differs');
      expect(modeChanges(r)).to.not.include('legacy 100');
    });

    it('rolls back when the unit was not resolved against the catalogue', () => {
      const r = runCutover(input(withWrites({ writeUnit: undefined })));
      expect(result(r).reason).to.equal('writes.unit shop was not resolved against the catalogue (start the migration with `ficus migrate start`)');
      expect(commandsOf(r, 'switch-writes')).to.deep.equal([]);
    });
  });

  describe('Unleash and activity failures', () => {
    it('waits while Unleash cannot be reached, says so once, and goes on when it answers', () => {
      let failures = 3;
      const r = runCutover(input(declaration()), {
        respond: (c) => (c.type === 'set-mode' && c.request.mode === 'canary' && failures-- > 0 ? { type: 'failed', message: 'connect ECONNREFUSED', nonRetryable: false } : undefined),
      });
      expect(result(r).status).to.equal('completed');
      expect(modeChanges(r)).to.deep.equal(['shadow 100', 'canary 25', 'canary 25', 'canary 25', 'canary 25', 'service 100']);
      const lines = auditLines(r);
      expect(lines.filter((l) => l.startsWith('wait: cannot set'))).to.deep.equal([
        'wait: cannot set ficus.route.catalog to canary 25%: connect ECONNREFUSED; the step waits and retries every 1 s (the flag keeps its last state)',
      ]);
      expect(lines).to.include('decision: Unleash answered again: ficus.route.catalog set to canary 25%');
      const retryWait = r.given.find((g) => g.cmd.type === 'wait' && g.view.status === 'waiting' && g.view.waitingFor === 'Unleash: connect ECONNREFUSED')!;
      expect(retryWait.cmd).to.deep.equal({ type: 'wait', until: { for: 'abort' }, timeoutMs: 1000 });
    });

    it('rolls back at once on a flag change refused for good', () => {
      const r = runCutover(input(declaration()), {
        respond: (c) => (c.type === 'set-mode' && c.request.mode === 'shadow' ? { type: 'failed', message: 'FLAG_NOT_FOUND: no flag ficus.route.catalog', nonRetryable: true } : undefined),
      });
      expect(result(r)).to.include({ status: 'rolled-back', reason: 'step shadow failed: FLAG_NOT_FOUND: no flag ficus.route.catalog' });
    });

    it('rolls back on a failed activity, naming the step', () => {
      const r = runCutover(input(declaration()), { respond: (c) => (c.type === 'ensure-flag' ? { type: 'failed', message: 'Unleash said 500', nonRetryable: false } : undefined) });
      expect(result(r)).to.include({ status: 'rolled-back', reason: 'step start failed: Unleash said 500' });
    });

    it('keeps retrying the rollback\'s flag change (an abort cannot interrupt it)', () => {
      let failures = 2;
      const r = runCutover(input(declaration()), {
        respond: (c, step) => {
          if (c.type === 'read-cdc-lag' && step === 'shadow') return lagOver;
          if (c.type === 'set-mode' && c.request.mode === 'legacy' && failures-- > 0) return { type: 'failed', message: 'timeout', nonRetryable: false };
          return undefined;
        },
      });
      expect(result(r).status).to.equal('rolled-back');
      expect(commandsOf(r, 'wait').filter((w) => w.until.for === 'timeout')).to.deep.equal([
        { type: 'wait', until: { for: 'timeout' }, timeoutMs: 1000 }, { type: 'wait', until: { for: 'timeout' }, timeoutMs: 1000 },
      ]);
      expect(modeChanges(r).filter((m) => m === 'legacy 100')).to.have.length(3);
    });

    it('fails the workflow when the rollback\'s flag change is refused for good', () => {
      const r = runCutover(input(declaration()), {
        respond: (c, step) => {
          if (c.type === 'read-cdc-lag' && step === 'shadow') return lagOver;
          if (c.type === 'set-mode' && c.request.mode === 'legacy') return { type: 'failed', message: 'FLAG_NOT_FOUND', nonRetryable: true };
          return undefined;
        },
      });
      expect(r.end).to.deep.equal({ type: 'fail' });
    });
  });

  describe('continue as new', () => {
    const long = declaration({ shadow: { percent: 100, holdSeconds: 20, requiresApproval: true }, canary: [{ percent: 100, holdSeconds: 5, requiresApproval: false }] });

    it('continues as new during a long hold and carries where it was; the next run neither sets the flag nor asks for approval again', () => {
      const runs = runCutoverChain(input(long, { continueAsNewAfterEvents: 80 }), {
        runId: 'first-run',
        signals: [{ on: (c) => c.type === 'wait' && c.until.for === 'approval', signal: { kind: 'approve', by: 'dan' } }],
      });
      expect(runs.length).to.be.greaterThan(2);
      const [first, second] = runs;
      const can = first!.end as Extract<CutoverCommand, { type: 'continue-as-new' }>;
      expect(can.type).to.equal('continue-as-new');
      const resume = can.input.resume!;
      expect(can.input).to.deep.include({ config: long, startedBy: 'ops', continueAsNewAfterEvents: 80 });
      expect(resume).to.include({ stepIndex: 0, paused: false, runs: 1, lastWait: null });
      expect(resume.heldMs).to.be.greaterThan(0).and.lessThan(20_000);
      expect(resume.checks).to.be.greaterThan(0);
      expect(resume.seq).to.equal(commandsOf(first!, 'audit').length);
      expect(resume.audit).to.deep.equal(commandsOf(first!, 'audit').map((a) => a.entry));
      expect(resume.pendingSignals).to.deep.equal([]);

      expect(second!.given[0]!.cmd.type).to.equal('audit');
      const firstLine = commandsOf(second!, 'audit')[0]!.entry;
      expect(firstLine).to.include({ seq: resume.seq + 1, runId: 'first-run', kind: 'decision', step: 'shadow' });
      expect(firstLine.message).to.equal(`continued as new run 2 (Temporal history kept short) in shadow, held ${Math.round(resume.heldMs / 1000)} s of 20 s`);
      expect(modeChanges(second!)).to.deep.equal([]);
      expect(commandsOf(second!, 'ensure-flag')).to.deep.equal([]);
      expect(second!.given[1]!.view).to.include({ heldMs: resume.heldMs, runs: 2 });

      const last = runs.at(-1)!;
      const res = result(last);
      expect(res.status).to.equal('completed');
      expect(res.state.runs).to.equal(runs.length);
      expect(runs.flatMap((r) => commandsOf(r, 'wait')).filter((w) => w.until.for === 'approval')).to.have.length(1);
      expect(runs.flatMap(modeChanges)).to.deep.equal(['shadow 100', 'service 100']);
      const seqs = runs.flatMap((r) => commandsOf(r, 'audit').map((a) => a.entry.seq));
      expect(seqs).to.deep.equal(seqs.map((_, i) => i + 1));
    });

    it('continues as new when Temporal suggests it', () => {
      const [first] = runCutoverChain(input(long), {
        continueAsNewSuggestedAt: 100, signals: [{ on: (c) => c.type === 'wait' && c.until.for === 'approval', signal: { kind: 'approve' } }],
      });
      expect(first!.end.type).to.equal('continue-as-new');
    });

    it('carries a pause over: the next runs keep the hold clock stopped until resumed', () => {
      const runs = runCutoverChain(input(long, { continueAsNewAfterEvents: 80 }), {
        signals: [{ on: (c) => c.type === 'wait' && c.until.for === 'approval', signal: { kind: 'approve' } }, { at: 3000, signal: { kind: 'pause', by: 'eve' } }, { at: 40_000, signal: { kind: 'resume', by: 'eve' } }],
      });
      expect(result(runs.at(-1)!).status).to.equal('completed');
      const resumes = runs.slice(0, -1).map((r) => (r.end as Extract<CutoverCommand, { type: 'continue-as-new' }>).input.resume!);
      const whilePaused = resumes.filter((x) => x.paused);
      expect(whilePaused.length, 'runs started while paused').to.be.greaterThan(1);
      expect(new Set(whilePaused.map((x) => x.heldMs)).size, 'held time frozen across runs').to.equal(1);
      expect(whilePaused.every((x) => x.lastWait === 'paused')).to.equal(true);
      const pausedRuns = runs.slice(1).filter((_, k) => resumes[k]!.paused);
      expect(pausedRuns.every((r) => r.given.filter((g) => g.cmd.type === 'wait').every((g) => g.view.status === 'paused' || g.at >= 40_000))).to.equal(true);
    });

    it('writes the signals a run had not written yet first thing in the next run, then goes on holding', () => {
      const config = declaration();
      const first = runCutover(input(config, { continueAsNewAfterEvents: 60 }));
      const can = first.end as Extract<CutoverCommand, { type: 'continue-as-new' }>;
      const resume: MigrationResume = {
        ...can.input.resume!,
        paused: true,
        pendingSignals: [{ kind: 'pause', by: 'fay', text: 'paused: the hold clock stops, gates are still checked' }, { kind: 'approve', text: 'approved' }],
      };
      const next = runCutover({ ...can.input, continueAsNewAfterEvents: 100_000, resume }, {
        signals: [{ at: 5000, signal: { kind: 'resume', by: 'fay' } }], continueAsNewSuggestedAt: 1_000_000,
      });
      const lines = commandsOf(next, 'audit').map((a) => a.entry).slice(0, 3);
      expect(lines.map((l) => l.seq)).to.deep.equal([resume.seq + 1, resume.seq + 2, resume.seq + 3]);
      expect(lines.map((l) => [l.kind, l.message])).to.deep.equal([
        ['signal', 'paused: the hold clock stops, gates are still checked'],
        ['signal', 'approved'],
        ['decision', `continued as new run 2 (Temporal history kept short) in shadow, held ${Math.round(resume.heldMs / 1000)} s of 3 s`],
      ]);
      expect(lines.map((l) => l.data)).to.deep.equal([{ signal: 'pause', by: 'fay' }, { signal: 'approve' }, undefined]);
      const beforeResume = next.given.filter((g) => g.at < 5000 && g.cmd.type === 'wait');
      expect(beforeResume.every((g) => g.view.heldMs === resume.heldMs)).to.equal(true);
      expect(result(next).status).to.equal('completed');
    });
  });

  it('never changes the state it is given (every decision returns a new one)', () => {
    const s = startCutover(input(declaration()), 'r');
    const snapshot = JSON.stringify(s);
    const d = decideCutover(s, { type: 'started', now: 1, historyLength: 3, continueAsNewSuggested: false });
    expect(JSON.stringify(s)).to.equal(snapshot);
    expect(d.state).to.not.equal(s);
    expect(d.state.view.audit).to.have.length(1);
  });

  it('lists the steps of a declaration: shadow, canary steps, service at 100%, then the write switch', () => {
    expect(cutoverSteps(withWrites()).map((s) => [s.name, s.mode, s.percent, s.holdMs])).to.deep.equal([
      ['shadow', 'shadow', 100, 3000], ['canary-25%', 'canary', 25, 2000], ['service-100%', 'service', 100, 2000], ['write-switch', 'write-switch', 100, 0],
    ]);
  });
});

describe('cutover step machine: metric gates from PromQL (gates.metrics.source promql)', () => {
  const fleet = () => declaration({ gates: { metrics: { source: 'promql', minWindowSeconds: 10 }, errorRate: { max: 0.1, minRequests: 20 } } });
  const respond = (value: number) => (cmd: CutoverCommand) => (cmd.type === 'query-gate-metrics'
    ? { type: 'gate-metrics' as const, figures: { 'errorRate.value': value, 'errorRate.samples': 200 } } : undefined);

  it('asks the rendered queries each check (window: the check interval, at least minWindowSeconds) and takes no /metrics sample', () => {
    const r = runCutover(input(fleet()), { respond: respond(0.01) });
    expect(result(r).status).to.equal('completed');
    expect(commandsOf(r, 'sample-metrics')).to.have.length(0);
    const qs = commandsOf(r, 'query-gate-metrics');
    expect(qs.length).to.be.greaterThan(5);
    expect(qs[0]!.queries['errorRate.samples']).to.equal('sum(increase(ficus_proxy_shadow_comparisons_total{route=~"catalog-products",outcome!="skipped"}[10s]))');
    expect(qs.at(-1)!.queries['errorRate.samples']).to.equal('sum(increase(ficus_proxy_requests_total{route=~"catalog-products",side="service"}[10s])) + (sum(increase(ficus_proxy_fallbacks_total{route=~"catalog-products"}[10s])) or vector(0))');
  });

  it('rolls back when the error rate over every replica is above the threshold', () => {
    const r = runCutover(input(fleet()), { respond: respond(0.175) });
    const res = result(r);
    expect(res.status).to.equal('rolled-back');
    expect(res.reason).to.equal('gate errorRate failed during shadow: 17.50% of 200 shadow copies failed, every replica (max 10.00%)');
    expect(modeChanges(r).at(-1)).to.equal('legacy 100');
  });

  it('holds without counting while the metrics server cannot be read', () => {
    const r = runCutover(input(fleet()), {
      signals: [{ signal: { kind: 'abort', by: 'ops', reason: 'enough' }, at: 20_000 }],
      respond: (cmd) => (cmd.type === 'query-gate-metrics' ? { type: 'gate-metrics', error: 'PROMQL_UNAVAILABLE: refused' } : undefined),
    });
    expect(result(r).status).to.equal('aborted');
    expect(auditLines(r)).to.include('wait: holding without counting: errorRate: metrics server not readable: PROMQL_UNAVAILABLE: refused');
    expect(r.given.some((g) => g.view.step === 'shadow' && g.view.heldMs > 0)).to.equal(false);
  });
});
