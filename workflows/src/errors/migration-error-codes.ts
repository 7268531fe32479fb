/**
 * Stable codes the migration workflows, their worker's admin API (`{ "error": { "code", "message" } }`),
 * their client and the backfill raise. `status` is the HTTP status where a code crosses HTTP, else
 * where it surfaces (`start`, `run`, `workflow`). The docs page (docs/components/migration-workflows.md,
 * "## Error codes") lists the same set; a test keeps them in step.
 */
export const migrationErrorCodes = {
  ADMIN_UNAUTHORIZED: { status: 401, meaning: 'admin API request without `Authorization: Bearer $FICUS_PROXY_ADMIN_TOKEN`' },
  MIGRATION_BAD_REQUEST: { status: 400, meaning: 'a control without a JSON object body, a bad `by` or `reason`, an abort without a reason; 413 with this code for a body over 16 KiB' },
  MIGRATION_NOT_FOUND: { status: 404, meaning: 'no migration of that name is declared (`migrations/`)' },
  MIGRATION_NOT_RUNNING: { status: 404, meaning: 'the migration has never been started (`ficus migrate start <name>`)' },
  NOT_FOUND: { status: 404, meaning: 'no such admin API path or control action' },
  METHOD_NOT_ALLOWED: { status: 405, meaning: 'admin API: a method other than GET, or POST to a control' },
  MIGRATION_CONFIG_INVALID: { status: 'start', meaning: 'a migration declaration is invalid or unreadable (one line per mistake); the worker and the commands that read it refuse' },
  MIGRATION_ALREADY_RUNNING: { status: 'run', meaning: '`ficus migrate start`: the migration\'s workflow is already running' },
  OWNERSHIP_SWITCH_FAILED: { status: 'run', meaning: '`ficus ownership switch`: the switch workflow failed; the cause is in the message (retriable)' },
  BACKFILL_ALREADY_RUNNING: { status: 'run', meaning: '`ficus migrate backfill`: a backfill of the migration is already running (`--attach` follows it)' },
  BACKFILL_NOT_RUNNING: { status: 'run', meaning: '`ficus migrate backfill --attach` or `--cancel`: no backfill of the migration has been started' },
  BACKFILL_CANCELLED: { status: 'run', meaning: '`ficus migrate backfill`: the backfill was cancelled; its stored position is kept (run it again to continue)' },
  BACKFILL_FAILED: { status: 'run', meaning: '`ficus migrate backfill`: the backfill failed without a code of its own (its attempts ran out); the cause is in the message' },
  BACKFILL_ROW_INVALID: { status: 'workflow', meaning: 'backfill copy: a legacy row does not fit the table\'s mapping (not retried)' },
  BACKFILL_UNAVAILABLE: { status: 'workflow', meaning: 'a backfill ran on a worker without a backfill writer' },
  MIGRATION_DATABASE_MISSING: { status: 'workflow', meaning: 'backfill: a database the migration names does not exist (start its service once)' },
  CDC_CONNECTOR_NOT_RUNNING: { status: 'workflow', meaning: 'backfill with `--method snapshot`: no running Debezium connector captures the legacy database (`ficus cdc connect`, or `--method copy`)' },
  SWITCH_LAG_TOO_HIGH: { status: 'workflow', meaning: 'the sync towards the new owner is more events behind than `maxLagEvents`; nothing was held (retriable)' },
  SWITCH_SYNC_NOT_READY: { status: 'workflow', meaning: 'the other sync direction did not start streaming within 60 s; nothing was held (retriable)' },
  SWITCH_REVERTED: { status: 'workflow', meaning: 'the hold was released and the unit stays with its owner: proxies not quiet, writes still outstanding or the sync not drained before the hold\'s deadline (retriable)' },
  SWITCH_QUIESCE_UNAVAILABLE: { status: 'workflow', meaning: 'the unit declares quiesce checks this worker cannot run' },
  MIGRATION_NOT_PROVISIONED: { status: 'start', meaning: 'the migration worker\'s MariaDB user lacks a table or a grant it needs (at start; or an activity\'s failure type, not retried): provision it (`node workflows/src/migration/provision.ts`, or `FICUS_MIGRATION_PROVISION_ON_START=true`)' },
  MIGRATION_TARGET_NOT_READY: { status: 'start', meaning: 'provisioning the migration worker: a table to be granted does not exist yet (start the services once, provision the CDC, then provision again)' },
  SYNC_CONTROL_MISSING: { status: 'workflow', meaning: 'a write cutover or switch ran on a worker without sync control or ownership store' },
} as const;
export type MigrationErrorCode = keyof typeof migrationErrorCodes;
