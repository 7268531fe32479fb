import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import type { Component, Health } from '../component-type.ts';
import { ensureTemporalCli } from '../install.ts';
import { paths, logFile, pidFile } from '../paths.ts';
import { stackPorts, stackHost } from '../ports.ts';
import { spawnDaemon, pidFileControl } from '../process-utils.ts';

const name = 'temporal';
export const temporalAddress = `${stackHost}:${stackPorts.temporal}`;

/** Search attributes the workflows set (Web UI filters by them). */
const searchAttributes = ['FicusOrderId=Keyword', 'FicusUserId=Keyword', 'FicusMigration=Keyword'];

export const temporal: Component = {
  name,
  ports: [stackPorts.temporal, stackPorts.temporalUi],
  dependsOn: [],
  url: `grpc://${temporalAddress} (UI http://${stackHost}:${stackPorts.temporalUi})`,
  startTimeoutMs: 60_000,

  async install() {
    await ensureTemporalCli();
  },

  async start() {
    const bin = await ensureTemporalCli();
    mkdirSync(paths.data, { recursive: true });
    return spawnDaemon({
      command: bin,
      args: [
        'server', 'start-dev',
        '--ip', stackHost,
        '--port', String(stackPorts.temporal),
        '--ui-port', String(stackPorts.temporalUi),
        '--db-filename', join(paths.data, 'temporal.sqlite'),
        '--namespace', 'default',
        '--log-level', 'warn',
        // An activity scheduled by a workflow task goes back in that task's answer to the worker that
        // completed it, without a trip through matching (decision 0014; on a cluster, see the record).
        '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
        ...searchAttributes.flatMap((a) => ['--search-attribute', a]),
      ],
      logFile: logFile(name),
      pidFile: pidFile(name),
    });
  },

  async health(): Promise<Health> {
    let conn: Connection | undefined;
    try {
      conn = await Connection.connect({ address: temporalAddress, connectTimeout: 1500 });
      const info = await conn.workflowService.getSystemInfo({});
      const ui = await fetch(`http://${stackHost}:${stackPorts.temporalUi}/`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      return { ok: ui, detail: `server ${info.serverVersion}${ui ? ', UI up' : ', UI not answering'}` };
    } catch (e) {
      return { ok: false, detail: (e as Error).message };
    } finally {
      await conn?.close().catch(() => undefined);
    }
  },

  ...pidFileControl(pidFile(name), { graceMs: 20_000 }),
};
