// The committed histories of migration runs, replayed against today's workflow code without the
// stack: replay runs in-process (no Temporal server, no activities), so a change to workflows.ts or
// to the step machine that is not deterministic fails here, in seconds, before any e2e run. Besides
// Temporal's check (the same commands of the same types), every activity's arguments, the
// continue-as-new input and the result must be the very bytes the history recorded.
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { Worker, type InjectedSinks } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { migrationWorkflowsPath } from './create-migration-worker.ts';
import { replayWithFixtures } from '../testing/replay-histories.ts';
import type { CommandRecorderSinks } from './testing/replay-command-recorder.ts';

const fixtures = fileURLToPath(new URL('./histories/', import.meta.url));
const recorderModule = fileURLToPath(new URL('./testing/replay-command-recorder.ts', import.meta.url));
const files = readdirSync(fixtures).filter((f) => f.endsWith('.json')).sort();

interface RecordedEvent { [k: string]: unknown; eventType?: string }
interface Payloads { payloads?: Array<{ data?: string }> }
/** Payloads as the JSON text the data converter wrote (one string per argument). */
const texts = (p: Payloads | undefined) => (p?.payloads ?? []).map((x) => Buffer.from(x.data ?? '', 'base64').toString('utf8'));

/** What the history says the workflow did: each scheduled activity, the continue-as-new input, the result. */
const recorded = (file: string) => {
  const events = (JSON.parse(readFileSync(`${fixtures}${file}`, 'utf8')) as { events: RecordedEvent[] }).events;
  const out: string[] = [];
  for (const e of events) {
    const a = e.activityTaskScheduledEventAttributes as { activityType: { name: string }; input?: Payloads } | undefined;
    if (a) out.push(`activity ${a.activityType.name} ${texts(a.input).join(' ')}`);
    const c = e.workflowExecutionContinuedAsNewEventAttributes as { input?: Payloads } | undefined;
    if (c) out.push(`continue-as-new ${texts(c.input).join(' ')}`);
    const r = e.workflowExecutionCompletedEventAttributes as { result?: Payloads } | undefined;
    if (r) out.push(`completed ${texts(r.result).join(' ')}`);
  }
  return out;
};

describe('migration workflow: committed histories replay', function () {
  this.timeout(120_000);

  it('replays every committed run (pause, approval, continue-as-new, completion, rollback, abort) without nondeterminism', async () => {
    const r = await replayWithFixtures({ workflowsPath: migrationWorkflowsPath, fixturesDir: fixtures, fresh: [], record: false });
    expect(r.committed, 'committed histories').to.equal(files.length).and.to.be.at.least(5);
    expect(r.results).to.deep.equal(r.expected);
  });

  it('schedules the same activities with the same arguments, continues as new with the same input and ends with the same result as each history', async () => {
    const seen = new Map<string, string[]>(files.map((f) => [f, []]));
    const push = (workflowId: string, line: string) => { seen.get(workflowId)!.push(line); };
    const sinks: InjectedSinks<CommandRecorderSinks> = {
      commandRecorder: {
        activity: { fn: (info, type, args) => push(info.workflowId, `activity ${type} ${args.map((x) => JSON.stringify(x)).join(' ')}`), callDuringReplay: true },
        continuedAsNew: { fn: (info, args) => push(info.workflowId, `continue-as-new ${args.map((x) => JSON.stringify(x)).join(' ')}`), callDuringReplay: true },
        completed: { fn: (info, result) => push(info.workflowId, `completed ${JSON.stringify(result)}`), callDuringReplay: true },
      },
    };
    const histories = files.map((f) => ({ workflowId: f, history: proto.temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(`${fixtures}${f}`, 'utf8')) as object) }));
    const errors: Array<[string, string | undefined]> = [];
    for await (const x of Worker.runReplayHistories({
      workflowsPath: migrationWorkflowsPath, bundlerOptions: { ignoreModules: [] }, interceptors: { workflowModules: [recorderModule] }, sinks,
    }, histories)) errors.push([x.workflowId, x.error?.message]);
    expect(errors).to.deep.equal(files.map((f) => [f, undefined]));
    for (const f of files) {
      const expected = recorded(f);
      expect(expected.length, `${f}: scheduled activities`).to.be.greaterThan(5);
      expect(seen.get(f), f).to.deep.equal(expected);
    }
  });
});
