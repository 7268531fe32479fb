import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { createTable } from '../output/table.ts';
import knexFactory from 'knex';
import { Client, Connection } from '@temporalio/client';
import { FicusError, mariadbRootConnection } from '@ficus/common';
import { defaultTopology, loadCdcConfig } from '@ficus/cdc';
import {
  createMigrationClient, describeProgress, findMigration, loadMigrations, loadMigrationWorkerConfig, migrationOverview, migratorRootLogin, openStateStore, provisionMigrationState, routeContext,
  verifyMigrationParity, type AuditEntry, type BackfillMethod, type BackfillStatus, type BackfillTableResult, type MigrationClient, type MigrationDeclaration, type MigrationParity,
  type MigrationState, type MigrationWorkerConfig,
} from '@ficus/workflows';

/** The slice of cli-progress used here (the package ships no types). */
interface ProgressBar { start(total: number, value: number, payload?: Record<string, unknown>): void; update(value: number, payload?: Record<string, unknown>): void; setTotal(total: number): void; stop(): void }
interface CliProgress { SingleBar: new (options: Record<string, unknown>, preset: unknown) => ProgressBar; Presets: { shades_classic: unknown } }

const progressBar = (format: string) => {
  if (!process.stderr.isTTY) return undefined;
  const { SingleBar, Presets } = createRequire(import.meta.url)('cli-progress') as CliProgress;
  return new SingleBar({ format, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
};

const backfillMethod = (v: string): BackfillMethod => {
  if (v !== 'auto' && v !== 'snapshot' && v !== 'copy') throw new InvalidArgumentError('expected auto, snapshot or copy');
  return v;
};
const positiveInt = (v: string) => { if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new InvalidArgumentError('expected a positive integer'); return Number(v); };
export const who = () => { try { return userInfo().username; } catch { return 'cli'; } };
const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(2)}%`);
const gateValue = (gate: string, v: number | null) => (v === null ? 'n/a' : gate === 'p99VsLegacy' ? `${(v * 1000).toFixed(1)} ms` : gate === 'parity' || gate === 'cdcLag' ? String(v) : pct(v));

export const context = () => {
  const config = loadMigrationWorkerConfig();
  return { config, routes: routeContext(config.routesFile) };
};

/** Temporal, with a clear message when the stack is not up. */
export const temporal = async (config: MigrationWorkerConfig) => {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.stack.FICUS_TEMPORAL_ADDRESS, connectTimeout: 3_000 });
  } catch (e) {
    throw new FicusError('STACK_UNAVAILABLE', `cannot reach Temporal at ${config.stack.FICUS_TEMPORAL_ADDRESS} (${(e as Error).message}); is the stack up? ./ficus stack up`, { retriable: true });
  }
  return { client: createMigrationClient(new Client({ connection, namespace: config.stack.FICUS_TEMPORAL_NAMESPACE }), config.taskQueue), close: () => connection.close() };
};

const withDatabases = async <T>(config: MigrationWorkerConfig, m: MigrationDeclaration, fn: (k: { legacy: ReturnType<typeof knexFactory>; service: ReturnType<typeof knexFactory> }) => Promise<T>): Promise<T> => {
  const knex = knexFactory({ client: 'mysql2', connection: { ...mariadbRootConnection(config.stack), timezone: 'Z' }, pool: { min: 0, max: 8 } });
  try {
    try { await knex.raw('SELECT 1'); } catch (e) {
      throw new FicusError('STACK_UNAVAILABLE', `cannot reach MariaDB at ${config.stack.FICUS_MARIADB_HOST}:${config.stack.FICUS_MARIADB_PORT} (${(e as Error).message}); is the stack up? ./ficus stack up`);
    }
    for (const db of [m.databases.legacy, m.databases.service]) {
      const [rows] = (await knex.raw('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [db])) as [unknown[]];
      if (!rows.length) throw new FicusError('MIGRATION_DATABASE_MISSING', `database ${db} (migration ${m.name}) does not exist${db.startsWith('svc_') ? '; start its service once (it migrates its database)' : ''}`);
    }
    return await fn({ legacy: knex, service: knex });
  } finally {
    await knex.destroy();
  }
};

const printParity = (r: MigrationParity) => {
  const t = createTable({ head: ['table', 'legacy rows', 'service rows', 'chunks (differing)', 'differences', 'rows/s', 'verdict'] });
  for (const x of r.tables) t.push([x.table, x.legacyRows, x.serviceRows, `${x.chunks} (${x.mismatchedChunks})`, x.differencesTotal, x.rowsPerSecond.toLocaleString('en'), x.clean ? 'clean' : 'DIFFERENT']);
  console.log(t.toString());
  const diffs = r.tables.flatMap((x) => x.differences.map((d) => ({ table: x.table, ...d })));
  if (diffs.length) {
    const d = createTable({ head: ['table', 'key', 'kind', 'column', 'legacy', 'service'], colWidths: [26, 10, 9, 14, 30, 30], wordWrap: true });
    for (const x of diffs) {
      if (!x.columns?.length) d.push([x.table, x.key, x.kind, '', '', '']);
      else for (const [i, c] of x.columns.entries()) d.push(i ? ['', '', '', c.column, c.legacy ?? 'NULL', c.service ?? 'NULL'] : [x.table, x.key, x.kind, c.column, c.legacy ?? 'NULL', c.service ?? 'NULL']);
    }
    console.log(d.toString());
    const listed = diffs.length;
    if (r.differencesTotal > listed) console.log(`… and ${r.differencesTotal - listed} more (raise --max-reported)`);
  }
  console.log(`${r.rowsCompared.toLocaleString('en')} rows compared in ${r.elapsedMs} ms (${r.rowsPerSecond.toLocaleString('en')} rows/s): ${r.clean ? 'parity clean' : `${r.differencesTotal} differing rows`}`);
};

const verify = async (m: MigrationDeclaration, o: { table?: string; json?: boolean; chunkRows?: number; maxReported?: number }) => {
  const { config } = context();
  const r = await withDatabases(config, m, async (k) => {
    const bar = o.json ? undefined : progressBar('verifying {table} [{bar}] {percentage}% | {value}/{total} chunks | {rows} rows');
    let current = '';
    const result = await verifyMigrationParity(m, k, {
      only: o.table, chunkRows: o.chunkRows, maxReported: o.maxReported,
      onTable: (t) => { current = t; },
      onProgress: (p) => { if (p.chunksDone === 1) bar?.start(p.chunks, 0, { table: current, rows: 0 }); bar?.update(p.chunksDone, { table: current, rows: p.rowsCompared }); },
    });
    bar?.stop();
    return result;
  });
  if (o.table && !r.tables.length) throw new FicusError('MIGRATION_TABLE_UNKNOWN', `migration ${m.name} has no table ${o.table}; it has ${m.tables.map((t) => t.legacy).join(', ')}`);
  if (o.json) console.log(JSON.stringify(r, null, 2)); else printParity(r);
  if (!r.clean) process.exitCode = 1;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Follows a backfill workflow until it ends: a progress bar at a terminal, else a line when it changes; then the result. */
const followBackfill = async (client: MigrationClient, name: string, o: { json?: boolean; taskQueue: string }) => {
  const bar = o.json ? undefined : progressBar('backfill {table} ({method}) [{bar}] {percentage}% | {value}/{total} rows{note}');
  let table = '';
  let line = '';
  let status: BackfillStatus;
  let tables: BackfillTableResult[] = [];
  for (let polls = 0; ; polls++) {
    status = await client.backfillProgress(name);
    if (polls === 0 && status.status === 'RUNNING' && !(await client.workerPolling().catch(() => true))) {
      console.error(`no migration worker polls task queue ${o.taskQueue}: the backfill waits until one runs (node workflows/src/migration/migration-worker.ts)`);
    }
    const waiting = status.activityState === 'scheduled' && (status.attempt ?? 1) > 1;
    const note = waiting ? ` | attempt ${status.attempt} waits for a worker${status.lastFailure ? ` (last: ${status.lastFailure})` : ''}` : '';
    // between the activity's end and the workflow's there is no heartbeat to read: keep the last one
    if (status.tables.length) tables = status.tables;
    const current = tables.find((t) => !t.done) ?? tables.at(-1);
    if (bar && current) {
      if (current.table !== table) { if (table) bar.stop(); table = current.table; bar.start(current.sourceRows, 0, { table, method: current.method, note }); }
      bar.update(Math.min(current.rowsCopied, current.sourceRows), { table, method: current.method, note });
    } else if (!bar && !o.json) {
      const next = `${describeProgress(tables)}${note}`;
      if (next !== line && (tables.length || status.status === 'RUNNING')) { console.error(`${new Date().toISOString()} backfill ${name}: ${next}`); line = next; }
    }
    if (status.status !== 'RUNNING') break;
    await sleep(1_000);
  }
  const r = await client.backfillResult(name)
    .then((res) => {
      const last = res.tables.find((t) => t.table === table);
      if (bar && last) bar.update(Math.min(last.rowsCopied, last.sourceRows), { table, method: last.method, note: '' });
      return res;
    })
    .finally(() => bar?.stop());
  if (o.json) { console.log(JSON.stringify(r, null, 2)); return; }
  const t = createTable({ head: ['table', 'method', 'rows (service / legacy)', 'done', 'position'] });
  for (const x of r.tables) t.push([x.table, x.method, `${x.rowsCopied} / ${x.sourceRows}`, x.done ? 'yes' : 'no', x.position ?? '']);
  console.log(t.toString());
  console.log(r.done ? `backfill of ${name} done; next: ficus migrate verify ${name}` : `backfill of ${name} stopped before the end; run it again to continue`);
  if (!r.done) process.exitCode = 1;
};

/**
 * `migrate backfill`: starts the backfill workflow on the migration worker and follows it. The
 * backfill runs on the worker: closing the CLI does not stop it (`--attach` follows it again).
 */
const backfill = async (m: MigrationDeclaration, o: { restart?: boolean; batchRows?: number; method: BackfillMethod; json?: boolean; detach?: boolean; attach?: boolean; cancel?: boolean }) => {
  const { config } = context();
  const t = await temporal(config);
  try {
    if (o.cancel) {
      await t.client.cancelBackfill(m.name);
      console.log(`cancel sent to the backfill of ${m.name}: it stops after the chunk in hand, its position kept`);
      return;
    }
    if (!o.attach) {
      const started = await t.client.backfill({ config: m, method: o.method, restart: o.restart, batchRows: o.batchRows, startedBy: who() });
      if (o.detach) {
        if (o.json) console.log(JSON.stringify(started, null, 2));
        else console.log(`${started.workflowId} (run ${started.runId}) started on task queue ${config.taskQueue}; follow it: ficus migrate backfill ${m.name} --attach`);
        return;
      }
      if (!o.json) console.error(`backfill of ${m.name} runs on the migration worker as workflow ${started.workflowId}; Ctrl-C leaves it running (--attach follows it again, --cancel stops it)`);
    }
    await followBackfill(t.client, m.name, { ...o, taskQueue: config.taskQueue });
  } finally { await t.close(); }
};

const printState = (s: MigrationState, temporalStatus: string) => {
  console.log(`${s.migration}: ${s.status} (workflow ${temporalStatus}${s.runs > 1 ? `, run ${s.runs}: continued as new during long holds` : ''}) — step ${s.step} (${s.stepIndex + 1}/${s.steps.length}), held ${Math.round(s.heldMs / 1000)}/${Math.round(s.holdMs / 1000)} s${s.waitingFor ? `\n  waiting for: ${s.waitingFor}` : ''}${s.reason ? `\n  reason: ${s.reason}` : ''}`);
  const steps = createTable({ head: ['', 'step', 'mode', '%', 'hold', 'approval'] });
  for (const [i, st] of s.steps.entries()) steps.push([i < s.stepIndex ? '✓' : i === s.stepIndex ? '▶' : '', st.name, st.mode, st.percent, `${st.holdMs / 1000} s`, st.requiresApproval ? 'required' : '']);
  console.log(steps.toString());
  if (s.gates.length) {
    const g = createTable({ head: ['gate', 'value', 'threshold', 'verdict', 'detail'], colWidths: [14, 12, 12, 9, 70], wordWrap: true });
    for (const x of s.gates) g.push([x.gate, gateValue(x.gate, x.value), gateValue(x.gate, x.threshold), x.ok === null ? 'no data' : x.ok ? 'pass' : 'FAIL', x.detail]);
    console.log(`gates (checked ${s.lastCheckAt ?? 'never'}):\n${g.toString()}`);
  }
};

const printAudit = (entries: AuditEntry[]) => {
  const t = createTable({ head: ['at', 'step', 'kind', 'message'], colWidths: [26, 14, 10, 90], wordWrap: true });
  for (const e of entries) t.push([e.at, e.step, e.kind, e.message]);
  console.log(t.toString());
};

/** `ficus migrate …` (and the top-level `ficus status`, `ficus verify`, `ficus backfill`): migrations as Temporal workflows. */
export const registerMigrate = (program: Command): void => {
  const migrate = program.command('migrate').description('migrations (declared in migrations/*.json): plan, backfill, verify, run the cutover workflow, watch and steer it');

  migrate.command('list').description('declared migrations and their workflow status').option('--json', 'machine-readable')
    .action(async (o: { json?: boolean }) => {
      const { config, routes } = context();
      const all = loadMigrations(config.migrationsDir, routes);
      const t = await temporal(config).catch(() => undefined);
      const overview = t ? await migrationOverview(all, t.client).finally(() => t.close()) : all.map((m) => ({ name: m.name, flag: m.flag, routes: m.routes, temporal: 'temporal unreachable', state: null }));
      if (o.json) { console.log(JSON.stringify(overview, null, 2)); return; }
      const table = createTable({ head: ['migration', 'service', 'flag', 'routes', 'tables', 'workflow', 'step'] });
      for (const [i, m] of all.entries()) {
        const v = overview[i]!;
        table.push([m.name, m.service, m.flag, m.routes.join(', '), m.tables.map((x) => x.legacy).join(', '), v.state?.status ?? v.temporal ?? 'not started', v.state?.step ?? '']);
      }
      console.log(table.toString());
    });

  migrate.command('plan').argument('<migration>').description('what the migration will do: steps, holds, approvals, gates and thresholds (validates the config against the route table)')
    .option('--json', 'machine-readable')
    .action(async (name: string, o: { json?: boolean }) => {
      const { config, routes } = context();
      const m = findMigration(config.migrationsDir, name, routes);
      if (o.json) { console.log(JSON.stringify(m, null, 2)); return; }
      console.log(`${m.name}: routes ${m.routes.join(', ')} (flag ${m.flag}) → service ${m.service}; tables ${m.tables.map((t) => `${m.databases.legacy}.${t.legacy} → ${m.databases.service}.${t.service} (${t.mapping})`).join(', ')}`);
      const t = createTable({ head: ['#', 'step', 'flag mode', 'hold', 'approval'] });
      t.push([1, 'shadow', `shadow ${m.shadow.percent}%`, `${m.shadow.holdSeconds} s`, m.shadow.requiresApproval ? 'required' : '']);
      for (const [i, s] of m.canary.entries()) t.push([i + 2, s.percent === 100 ? 'service' : `canary ${s.percent}%`, s.percent === 100 ? 'service 100%' : `canary ${s.percent}%`, `${s.holdSeconds} s`, s.requiresApproval ? 'required' : '']);
      if (m.writes && m.writeUnit) {
        const u = m.writeUnit;
        t.push([m.canary.length + 2, 'write switch', `unit ${u.name} → service (sync ${u.domains.join(', ')} turned around)`, `writes held ≤ ${m.writes.holdMs} ms`, m.writes.requiresApproval ? 'required' : '']);
      }
      console.log(t.toString());
      if (m.writeUnit) {
        const u = m.writeUnit;
        const others = u.declaredIn === m.name ? '' : ` (declared in ${u.declaredIn}.json)`;
        console.log(`write switch moves unit ${u.name}${others}: routes ${u.writeRoutes.join(', ')}; tables ${u.legacyTables.join(', ')}. Every migration that names it moves the same unit: one writer per table (decision 0013).`);
      }
      const g = createTable({ head: ['gate', 'threshold'] });
      for (const [k, v] of Object.entries(m.gates)) g.push([k, JSON.stringify(v)]);
      console.log(`gates, checked every ${m.checkIntervalSeconds} s; a failing gate rolls back to legacy:\n${g.toString()}`);
    });

  const verifyCmd = (cmd: Command) => cmd.argument('<migration>')
    .option('--table <table>', 'only this table (legacy or service name)')
    .option('--chunk-rows <n>', 'rows per chunk (default 10000)', positiveInt)
    .option('--max-reported <n>', 'differences listed with their values (default 100)', positiveInt)
    .option('--json', 'machine-readable report')
    .action(async (name: string, o: { table?: string; json?: boolean; chunkRows?: number; maxReported?: number }) => {
      const { config, routes } = context();
      await verify(findMigration(config.migrationsDir, name, routes), o);
    });
  verifyCmd(migrate.command('verify').description('data parity: every table pair compared by primary-key chunks (count + checksum in SQL), differing chunks drilled to rows; exit 1 when not clean'));

  const backfillCmd = (cmd: Command) => cmd.argument('<migration>')
    .option('--method <m>', 'auto (snapshot when the legacy connector runs, else copy) | snapshot | copy', backfillMethod, 'auto' as BackfillMethod)
    .option('--restart', 'forget the stored positions and start over')
    .option('--batch-rows <n>', 'rows per copied chunk (default 2000)', positiveInt)
    .option('--json', 'machine-readable (the final result; with --detach the workflow id)')
    .option('--detach', 'start it and return at once with the workflow id')
    .option('--attach', 'follow the backfill already running instead of starting one')
    .option('--cancel', 'cancel the running backfill (it stops between two chunks; the position is kept)')
    .action(async (name: string, o: { restart?: boolean; batchRows?: number; method: BackfillMethod; json?: boolean; detach?: boolean; attach?: boolean; cancel?: boolean }) => {
      const { config, routes } = context();
      await backfill(findMigration(config.migrationsDir, name, routes), o);
    });
  backfillCmd(migrate.command('backfill').description('load the service tables on the migration worker (a Temporal workflow that survives the CLI): Debezium incremental snapshot, or a chunked copy through the CDC mapping; resumable'));

  migrate.command('start').argument('<migration>').description('start the cutover workflow (the migration worker must run: node workflows/src/migration/migration-worker.ts)')
    .action(async (name: string) => {
      const { config, routes } = context();
      const m = findMigration(config.migrationsDir, name, routes);
      const t = await temporal(config);
      try {
        await t.client.start(m, who());
        console.log(`migration ${m.name} started (workflow migration:${m.name} on task queue ${config.taskQueue}); watch it: ficus migrate status ${m.name} --watch`);
      } finally { await t.close(); }
    });

  migrate.command('status').argument('<migration>').description('current step, gate values against thresholds, what it waits for')
    .option('--json', 'machine-readable').option('--watch', 'refresh every 2 s until the workflow ends')
    .action(async (name: string, o: { json?: boolean; watch?: boolean }) => {
      const { config, routes } = context();
      findMigration(config.migrationsDir, name, routes);
      const t = await temporal(config);
      try {
        for (;;) {
          const [d, s] = await Promise.all([t.client.describe(name), t.client.state(name)]);
          if (o.json) console.log(JSON.stringify({ workflow: d, state: s }, null, 2));
          else { if (o.watch) console.clear(); printState(s, d.status); printAudit(s.audit.slice(-8)); }
          if (!o.watch || d.status !== 'RUNNING') { if (s.status === 'rolled-back' || s.status === 'aborted') process.exitCode = 1; break; }
          await new Promise((r) => setTimeout(r, 2_000));
        }
      } finally { await t.close(); }
    });

  const signal = (verb: 'pause' | 'resume' | 'approve', what: string) => migrate.command(verb).argument('<migration>').description(what)
    .action(async (name: string) => {
      const { config } = context();
      const t = await temporal(config);
      try { await t.client[verb](name, who()); console.log(`${verb} sent to ${name}; it shows in ficus migrate audit ${name}`); } finally { await t.close(); }
    });
  signal('pause', 'stop the hold clock (gates are still checked and a failing one still rolls back)');
  signal('resume', 'start the hold clock again');
  signal('approve', 'let a step that requires approval start');

  migrate.command('abort').argument('<migration>').requiredOption('--reason <text>', 'why (goes to the audit log)').description('roll the routes back to legacy and end the migration')
    .action(async (name: string, o: { reason: string }) => {
      const { config } = context();
      const t = await temporal(config);
      try { await t.client.abort(name, o.reason, who()); console.log(`abort sent to ${name}: it rolls back to legacy; ficus migrate status ${name}`); } finally { await t.close(); }
    });

  migrate.command('audit').argument('<migration>').description('every step and decision (from the audit log; survives the workflow)')
    .option('--json', 'machine-readable').option('--limit <n>', 'latest entries (default 200)', positiveInt)
    .action(async (name: string, o: { json?: boolean; limit?: number }) => {
      const { config } = context();
      // an operator tool: it reads the state database as root, after bringing its schema up to date (a fresh stack answers)
      const state = await provisionMigrationState(config.stack, config.stateDatabase).then(() => openStateStore({ ...config, login: migratorRootLogin(config.stack) }))
        .catch((e: unknown) => { throw new FicusError('STACK_UNAVAILABLE', `cannot open the migration state database ${config.stateDatabase}: ${(e as Error).message}; is the stack up?`); });
      try {
        const entries = await state.store.audit(name, { limit: o.limit ?? 200 });
        if (o.json) console.log(JSON.stringify(entries, null, 2));
        else if (!entries.length) console.log(`no audit entries for ${name}`);
        else printAudit(entries);
      } finally { await state.knex.destroy(); }
    });

  // the issue's short forms
  verifyCmd(program.command('verify').description('data parity of a migration\'s tables (same as ficus migrate verify)'));
  backfillCmd(program.command('backfill').description('backfill a migration\'s tables (same as ficus migrate backfill)'));

  program.command('status').description('all routes and their modes, migrations and their steps, CDC lag').option('--json', 'machine-readable')
    .action(async (o: { json?: boolean }) => {
      const { config, routes } = context();
      const out: Record<string, unknown> = {};
      try {
        const res = await fetch(`${config.proxyAdmin.url}/routes`, { headers: { authorization: `Bearer ${config.proxyAdmin.token}` }, signal: AbortSignal.timeout(3_000) });
        out.routes = ((await res.json()) as { routes: unknown[] }).routes;
      } catch (e) { out.routes = { error: `proxy admin API at ${config.proxyAdmin.url} unreachable: ${(e as Error).message}` }; }
      const all = loadMigrations(config.migrationsDir, routes);
      const t = await temporal(config).catch((e: Error) => e);
      out.migrations = t instanceof Error ? { error: t.message } : await migrationOverview(all, t.client).finally(() => t.close());
      try {
        const { cdcStatus } = await import('@ficus/cdc');
        const cdc = loadCdcConfig();
        const s = await Promise.race([cdcStatus(defaultTopology(cdc.databases), cdc.stack), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer within 10 s')), 10_000).unref())]);
        out.cdc = s.pipelines.map((p) => ({ pipeline: p.name, lag: p.consumerLag, lastAppliedAt: p.lastAppliedAt, deadLetters: p.deadLetters }));
      } catch (e) { out.cdc = { error: `CDC status unavailable: ${(e as Error).message}` }; }
      if (o.json) { console.log(JSON.stringify(out, null, 2)); return; }
      if (Array.isArray(out.routes)) {
        const r = createTable({ head: ['route', 'path', 'service', 'flag', 'effective'] });
        for (const x of out.routes as Array<{ id: string; path: string; service: string; flag: string; effective: string }>) r.push([x.id, x.path, x.service, x.flag, x.effective]);
        console.log(r.toString());
      } else console.log(`routes: ${(out.routes as { error: string }).error}`);
      if (Array.isArray(out.migrations)) {
        const m = createTable({ head: ['migration', 'status', 'step', 'waiting for'] });
        for (const x of out.migrations as Array<{ name: string; temporal: string | null; state: MigrationState | null }>) m.push([x.name, x.state?.status ?? x.temporal ?? 'not started', x.state?.step ?? '', x.state?.waitingFor ?? '']);
        console.log(m.toString());
      } else console.log(`migrations: ${(out.migrations as { error: string }).error}`);
      if (Array.isArray(out.cdc)) {
        const c = createTable({ head: ['pipeline', 'lag (events)', 'last applied', 'dead letters'] });
        for (const x of out.cdc as Array<{ pipeline: string; lag: number | null; lastAppliedAt: string | null; deadLetters: number }>) c.push([x.pipeline, x.lag ?? 'n/a', x.lastAppliedAt ?? 'never', x.deadLetters]);
        console.log(c.toString());
      } else console.log(`cdc: ${(out.cdc as { error: string }).error}`);
    });
};
