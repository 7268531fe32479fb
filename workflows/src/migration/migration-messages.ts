// The migration workflow's signals and query, defined once: the workflow sets their handlers, the
// client (CLI, migration admin, cockpit) sends them by these definitions, never by a string.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { AbortSignal, ApproveSignal, MigrationState, PauseSignal } from './migration-types.ts';

export const pauseSignal = defineSignal<[PauseSignal]>('pause');
export const resumeSignal = defineSignal<[PauseSignal]>('resume');
export const approveSignal = defineSignal<[ApproveSignal]>('approve');
export const abortSignal = defineSignal<[AbortSignal]>('abort');
export const migrationStateQuery = defineQuery<MigrationState>('migrationState');
