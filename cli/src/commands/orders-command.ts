import type { Command } from 'commander';
import { createTable } from '../output/table.ts';
import { Client, Connection } from '@temporalio/client';
import { FicusError, readStackEnv } from '@ficus/common';
import { findSagasOfOrder, readSagaReport, type SagaReport } from '@ficus/workflows';

const printReport = (r: SagaReport) => {
  console.log(`${r.type} ${r.workflowId}  ${r.status}  order ${r.orderId ?? '-'}  user ${r.userId ?? '-'}  started ${r.startTime}${r.closeTime ? `  closed ${r.closeTime}` : ''}`);
  if (r.failure) console.log(`failure: ${r.failure}`);
  const t = createTable({ head: ['#', 'step', 'kind', 'status', 'attempts', 'started', 'ended', 'failure'], colWidths: [4, 20, 22, 11, 10, 26, 26, 50], wordWrap: true });
  r.steps.forEach((s, i) => t.push([i + 1, s.activity, s.local ? `${s.kind} (local)` : s.kind, s.status, s.attempts, s.startedAt ?? '', s.endedAt ?? '', s.failure ?? '']));
  console.log(t.toString());
};

export const registerOrders = (program: Command): void => {
  const orders = program.command('orders').description('orders placed through the order saga (Temporal)');

  orders.command('saga').description("show a saga's steps and compensations from its workflow history (PlaceOrder and any CancelOrder)")
    .argument('<orderId>', 'order id (found by the FicusOrderId search attribute) or a workflow id such as checkout:<userId>:<key>')
    .option('--json', 'machine-readable')
    .action(async (ref: string, o: { json?: boolean }) => {
      const stack = readStackEnv();
      const connection = await Connection.connect({ address: stack.FICUS_TEMPORAL_ADDRESS });
      try {
        const client = new Client({ connection, namespace: stack.FICUS_TEMPORAL_NAMESPACE });
        const ids = /^\d+$/.test(ref) ? (await findSagasOfOrder(client, ref)).map((w) => w.workflowId) : [ref];
        if (!ids.length) throw new FicusError('SAGA_NOT_FOUND', `no saga found for order ${ref} (FicusOrderId = '${ref}'); orders placed by the monolith have none`);
        const reports = [];
        for (const id of ids) reports.push(await readSagaReport(client, id));
        if (o.json) console.log(JSON.stringify(reports, null, 2));
        else reports.forEach(printReport);
      } finally {
        await connection.close();
      }
    });
};
