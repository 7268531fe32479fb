import { expect } from 'chai';
import proto from '@temporalio/proto';
import { backfillStatusOf } from './client.ts';

type Description = Parameters<typeof backfillStatusOf>[0];
const description = (pendingActivities: unknown[], status = 'RUNNING'): Description => ({
  workflowId: 'backfill:m', status: { name: status } as Description['status'], startTime: new Date('2026-01-01T00:00:00Z'), closeTime: undefined,
  raw: { pendingActivities } as Description['raw'],
});
// the fake "payload" is the value itself: the test is about where the heartbeat is, not its encoding
const decode = (p: unknown) => p;
const { PENDING_ACTIVITY_STATE_SCHEDULED: SCHEDULED, PENDING_ACTIVITY_STATE_STARTED: STARTED } = proto.temporal.api.enums.v1.PendingActivityState;
const products = { table: 'products', method: 'copy', rowsCopied: 400, sourceRows: 3_000, position: 400, done: false };

describe('backfill status from a workflow description', () => {
  it('reads the backfill activity\'s last heartbeat, attempt and state', () => {
    const s = backfillStatusOf(description([
      { activityType: { name: 'recordAudit' }, attempt: 1, state: STARTED },
      { activityType: { name: 'runBackfill' }, attempt: 2, state: SCHEDULED, lastFailure: { message: 'WORKER_SHUTDOWN' }, heartbeatDetails: { payloads: [{ tables: [products] }] } },
    ]), decode);
    expect(s).to.deep.equal({
      workflowId: 'backfill:m', status: 'RUNNING', startTime: '2026-01-01T00:00:00.000Z', closeTime: null,
      attempt: 2, activityState: 'scheduled', lastFailure: 'WORKER_SHUTDOWN', tables: [products],
    });
  });

  it('has no tables before the first heartbeat, and no activity once the workflow closed', () => {
    expect(backfillStatusOf(description([{ activityType: { name: 'runBackfill' }, attempt: 1, state: STARTED }]), decode))
      .to.include({ attempt: 1, activityState: 'started', lastFailure: null }).and.have.property('tables').that.deep.equals([]);
    expect(backfillStatusOf(description([], 'COMPLETED'), decode)).to.include({ status: 'COMPLETED', attempt: null, activityState: null });
  });
});
