import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Connection, Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { readStackEnv } from '@ficus/common';
import { createSmokeActivities } from './smoke-activities.ts';

describe('smoke: a workflow runs on the real Temporal server', () => {
  it('is executed by a @temporalio/worker and its result read through @temporalio/client', async () => {
    const stack = readStackEnv();
    const taskQueue = `smoke-${randomBytes(4).toString('hex')}`;
    const nativeConnection = await NativeConnection.connect({ address: stack.FICUS_TEMPORAL_ADDRESS });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: stack.FICUS_TEMPORAL_NAMESPACE,
      taskQueue,
      workflowsPath: fileURLToPath(new URL('./smoke-workflows.ts', import.meta.url)),
      activities: createSmokeActivities('the smoke worker'),
      bundlerOptions: { ignoreModules: [] },
    });
    const connection = await Connection.connect({ address: stack.FICUS_TEMPORAL_ADDRESS });
    try {
      const client = new Client({ connection, namespace: stack.FICUS_TEMPORAL_NAMESPACE });
      const result = await worker.runUntil(async () => {
        const handle = await client.workflow.start('smokeGreeting', { taskQueue, workflowId: `${taskQueue}-wf`, args: ['ficus'] });
        return handle.result();
      });
      expect(result).to.equal('hello ficus from the smoke worker!');
      const described = await client.workflow.getHandle(`${taskQueue}-wf`).describe();
      expect(described.status.name).to.equal('COMPLETED');
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});
