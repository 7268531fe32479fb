// The migration worker with tracing on (decision 0021): Temporal's OpenTelemetry interceptors join
// the worker, and the committed migration histories still replay with them.
import { fileURLToPath } from 'node:url';
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { startMemoryTracing } from '@ficus/common/tracing';
import { migrationWorkerInterceptors, migrationWorkflowsPath } from './create-migration-worker.ts';

const fixtures = fileURLToPath(new URL('./histories/', import.meta.url));

describe('migration worker tracing', function () {
  this.timeout(120_000);

  it('adds Temporal\'s OpenTelemetry interceptors and span sink only when tracing is on', async () => {
    expect(migrationWorkerInterceptors(undefined)).to.deep.equal({ interceptors: {} });
    const mem = startMemoryTracing('migration-interceptors-test', 1);
    try {
      const on = migrationWorkerInterceptors(mem.tracing);
      expect(on.interceptors?.activity).to.have.length(1);
      expect(on.interceptors?.workflowModules?.[0]).to.match(/interceptors-opentelemetry[/\\]lib[/\\]workflow-interceptors/);
      expect(on.sinks).to.have.property('exporter');
    } finally {
      await mem.tracing.shutdown();
    }
  });

  it('the committed migration histories replay with the OpenTelemetry interceptors', async () => {
    const mem = startMemoryTracing('migration-replay-test', 1);
    try {
      const files = readdirSync(fixtures).filter((f) => f.endsWith('.json')).sort();
      expect(files.length).to.be.at.least(5);
      const histories = files.map((f) => ({ workflowId: f, history: proto.temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(`${fixtures}${f}`, 'utf8')) as object) }));
      const results: Array<[string, string | undefined]> = [];
      for await (const r of Worker.runReplayHistories({ workflowsPath: migrationWorkflowsPath, bundlerOptions: { ignoreModules: [] }, ...migrationWorkerInterceptors(mem.tracing) }, histories as never)) {
        results.push([r.workflowId, r.error?.message]);
      }
      expect(results).to.deep.equal(files.map((f) => [f, undefined]));
    } finally {
      await mem.tracing.shutdown();
    }
  });
});
