// `migrationBackfill` (workflow id `backfill:<name>`): the backfill as one retried, heartbeating
// activity, started by `ficus migrate backfill`. Deterministic code only.
import { CancellationScope, isCancellation, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { MigrationActivities } from './activities.ts';
import type { AuditEntry } from './migration-state-store.ts';
import { auditActivity, backfillActivity } from './migration-policies.ts';
import { describeProgress, type BackfillInput, type BackfillResult } from './backfill/backfill-progress.ts';

const backfills = proxyActivities<MigrationActivities>(backfillActivity);
const audits = proxyActivities<MigrationActivities>(auditActivity);

export async function migrationBackfill(input: BackfillInput): Promise<BackfillResult> {
  const name = input.config.name;
  let seq = 0;
  const audit = (kind: AuditEntry['kind'], message: string) =>
    audits.recordAudit({ migration: name, runId: workflowInfo().runId, seq: ++seq, at: new Date().toISOString(), step: 'backfill', kind, message });
  await audit('step', `backfill of ${name} started${input.startedBy ? ` by ${input.startedBy}` : ''} (method ${input.method}${input.restart ? ', from scratch' : ''})`);
  try {
    const r = await backfills.runBackfill(input);
    await audit('done', `backfill of ${name} ${r.done ? 'done' : 'stopped'}: ${describeProgress(r.tables)}`);
    return r;
  } catch (e) {
    const why = isCancellation(e) ? 'cancelled between two chunks; the stored position is kept' : `failed: ${(e as { cause?: Error }).cause?.message ?? (e as Error).message}`;
    // a cancelled workflow still writes its last audit line
    await CancellationScope.nonCancellable(() => audit('error', `backfill of ${name} ${why}`));
    throw e;
  }
}
