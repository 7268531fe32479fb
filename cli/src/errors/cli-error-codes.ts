/**
 * Stable codes the CLI's own commands raise. None crosses HTTP: `status` is `run`, the CLI prints
 * `ficus: <code>: <message>` and exits 2. Codes of the packages a command calls (stack, CDC,
 * migrations, cockpit) pass through with their own code. The docs page (docs/components/cli.md,
 * "## Error codes") lists the same set; a test keeps them in step.
 */
export const cliErrorCodes = {
  CLI_INVALID_OPTION: { status: 'run', meaning: 'an option value is malformed (`cdc applied --wait`)' },
  BENCH_UNKNOWN: { status: 'run', meaning: '`bench <name>`: no such benchmark script; the message lists them' },
  DEMO_START_FAILED: { status: 'run', meaning: '`demo`: the stack, the legacy database or an app did not come up' },
  STACK_UNAVAILABLE: { status: 'run', meaning: 'Temporal or MariaDB (a migration database, the state database, write ownership) does not answer: is the stack up?' },
  PROXY_ADMIN_UNREACHABLE: { status: 'run', meaning: '`routes`, `shadow …`: the proxy admin API does not answer' },
  PROXY_ADMIN_FAILED: { status: 'run', meaning: '`routes`, `shadow …`: the proxy admin API answered an error (status and body in the message)' },
  FLAG_MODE_INVALID: { status: 'run', meaning: '`flags set`: not one of the route modes' },
  FLAG_ROUTES_WRITE_OWNED: { status: 'run', meaning: '`flags set`: the flag switches only writes of an ownership unit, which move with the unit\'s switch, never a flag' },
  MIGRATION_DATABASE_MISSING: { status: 'run', meaning: '`migrate verify`: a database the migration names does not exist (start its service once); `migrate backfill` gets the same code from the worker' },
  MIGRATION_TABLE_UNKNOWN: { status: 'run', meaning: '`migrate verify --table`: the migration has no such table' },
  OWNERSHIP_UNIT_UNKNOWN: { status: 'run', meaning: '`ownership switch`: no migration declares the unit' },
  OWNERSHIP_SWITCH_INVALID: { status: 'run', meaning: '`ownership switch`: `--hold-ms` or `--max-lag-events` out of range' },
  SAGA_NOT_FOUND: { status: 'run', meaning: '`orders saga <id>`: no saga for the order (orders placed by the monolith have none)' },
  COCKPIT_UNAVAILABLE: { status: 'run', meaning: '`cockpit link`: no cockpit answers, or it refused without a code' },
} as const;
export type CliErrorCode = keyof typeof cliErrorCodes;
