/** The migration workflows' public surface (re-exported by @ficus/workflows). */
export * from './migration-declaration.ts';
export * from './migration-types.ts';
export * from './migration-state-store.ts';
export * from './migration-catalogue.ts';
export * from './migration-worker-config.ts';
export { tablePairs, tablePairNames, type TablePairSpec, type ParityColumn } from './table-pairs.ts';
export { verifyParity, type ParityResult, type RowDifference, type VerifyOptions } from './parity/verify-parity.ts';
export { verifyMigrationParity, type MigrationParity } from './parity/verify-migration.ts';
export { switchOwnership } from './switch/switch-ownership.ts';
export { runBackfill, type BackfillDeps, type BackfillTableResult } from './backfill/run-backfill.ts';
export { describeProgress, type BackfillInput, type BackfillMethod, type BackfillResult } from './backfill/backfill-progress.ts';
export { createConnectSnapshotSource, type SnapshotSource } from './backfill/snapshot-source.ts';
export type { BackfillPorts } from './backfill/backfill-activity.ts';
export { createMigrationClient, type BackfillStatus, type MigrationClient } from './client.ts';
export { createMigrationActivities, type MigrationActivities, type MigrationActivityDeps, type SyncControl } from './activities.ts';
export { createMigrationWorker, createMigrationDeps, openStateStore, openParityKnex, migrationWorkflowsPath } from './create-migration-worker.ts';
export { migrationOverview, startMigrationAdmin, type MigrationOverview } from './migration-admin.ts';
export type { GateResult, GateName } from './gates/evaluate-gates.ts';
