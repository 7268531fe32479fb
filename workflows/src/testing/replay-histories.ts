// Replay tests: fresh histories (optionally recorded as fixtures) and the committed ones, replayed
// against today's workflow code; any nondeterminism shows as an error for that history.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';

export interface NamedHistory { workflowId: string; history: unknown; file?: string }

/**
 * Writes `fresh` into `fixturesDir` (as `<file>.json`) when `record` is set, then replays them with
 * every committed `*.json` there. Returns [workflowId, error message or undefined] per history, and
 * how many were committed.
 */
export const replayWithFixtures = async (o: { workflowsPath: string; fixturesDir: string; fresh: NamedHistory[]; record: boolean }) => {
  if (o.record) {
    mkdirSync(o.fixturesDir, { recursive: true });
    for (const f of o.fresh) writeFileSync(`${o.fixturesDir}${f.file ?? f.workflowId}.json`, JSON.stringify(f.history, null, 1));
  }
  // committed files are History messages as JSON (JSON.stringify of the proto); fromObject reads them back
  const committed = readdirSync(o.fixturesDir).filter((f) => f.endsWith('.json'))
    .map((f) => ({ workflowId: `fixture-${f}`, history: proto.temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(`${o.fixturesDir}${f}`, 'utf8')) as object) }));
  const all = [...o.fresh.map(({ workflowId, history }) => ({ workflowId, history })), ...committed];
  const results: Array<[string, string | undefined]> = [];
  for await (const r of Worker.runReplayHistories({ workflowsPath: o.workflowsPath, bundlerOptions: { ignoreModules: [] } }, all as never)) results.push([r.workflowId, r.error?.message]);
  return { results, expected: all.map((h): [string, undefined] => [h.workflowId, undefined]), committed: committed.length };
};
