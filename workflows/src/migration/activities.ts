// Every side effect of a migration, built by createMigrationActivities(deps). Each is idempotent:
// a flag is PUT to a mode, an audit line is keyed by (run, seq), reads change nothing.
import type { Knex } from 'knex';
import { ApplicationFailure, heartbeat } from '@temporalio/activity';
import { isFicusError, type Logger } from '@ficus/common';
import type { UnleashAdmin } from '@ficus/strangler-proxy';
import type { MigrationDeclaration } from './migration-declaration.ts';
import type { AuditEntry, MigrationStateStore } from './migration-state-store.ts';
import type { LagOutcome, ParityOutcome, ProbeOutcome } from './gates/evaluate-gates.ts';
import { sampleFromProxyMetrics, type MetricsSample } from '@ficus/common/proxy-metrics-sample';
import { singleValue, type PromqlClient } from '@ficus/common/promql';
import type { GateFigures, GateQueryName } from './gates/gate-queries.ts';
import { verifyMigrationParity } from './parity/verify-migration.ts';
import { switchOwnership, type SwitchOutcome, type SwitchPorts, type SwitchRequest } from './switch/switch-ownership.ts';
import { backfillActivity, type BackfillPorts } from './backfill/backfill-activity.ts';
import type { BackfillInput, BackfillResult } from './backfill/backfill-progress.ts';
import { asNotProvisioned } from './provision/not-provisioned.ts';

export type { Domain as SyncDomain } from '@ficus/cdc';
import type { Domain as SyncDomain } from '@ficus/cdc';

/** Turns a domain's sync directions on and off (the CDC runtime behind it), and reports lag. */
export interface SyncControl {
  setDirections(domain: SyncDomain, d: { forward: boolean; reverse: boolean }): Promise<void>;
  /** Events not yet applied in one direction (null when that direction does not run). */
  lag(domain: SyncDomain, direction: 'forward' | 'reverse'): Promise<{ events: number | null; seconds: number | null }>;
}

export interface MigrationActivityDeps {
  unleash: UnleashAdmin;
  /** The proxy's admin API (for /metrics) and its bearer token. */
  proxyAdmin: { url: string; token: string };
  /** The metrics server the gates ask over every proxy replica (gates.metrics.source promql); absent: those gates wait, saying why. */
  promql?: PromqlClient;
  /** Target name → base URL (the proxy's targets), for the probes. */
  targets: Readonly<Record<string, string>>;
  store: MigrationStateStore;
  /** Knex pools able to read the legacy and service databases (parity). */
  databases: { legacy: Knex; service: Knex };
  sync?: SyncControl;
  /** The write switch's ports other than the sync (ownership store, GTID positions); absent: switches fail. */
  switching?: Omit<SwitchPorts, 'sync'>;
  /** The backfill's writer and snapshot source; absent: backfills fail (BACKFILL_UNAVAILABLE). */
  backfill?: BackfillPorts;
  log: Logger;
  fetchTimeoutMs?: number;
  /** The MariaDB user the pools connect as (`ficus_migrator`), named when it lacks a grant. */
  dbUser?: string;
}

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Deep equality of JSON values with some keys left out at any depth. */
const stripKeys = (v: unknown, ignore: ReadonlySet<string>): unknown => {
  if (Array.isArray(v)) return v.map((x) => stripKeys(x, ignore));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => !ignore.has(k)).map(([k, x]) => [k, stripKeys(x, ignore)]));
  return v;
};
/** The first path where two JSON values differ, or null. */
export const firstDifference = (a: unknown, b: unknown, path = '$'): string | null => {
  if (a === b) return null;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return path;
  if (Array.isArray(a) !== Array.isArray(b)) return path;
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const k of keys) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`);
    if (d) return d;
  }
  return null;
};

export const createMigrationActivities = (deps: MigrationActivityDeps) => {
  const timeout = deps.fetchTimeoutMs ?? 5_000;
  /** Unleash failures keep their code as the failure type; unreachable is retriable, the rest is not. */
  const flagCall = async (what: string, fn: () => Promise<unknown>) => {
    try { await fn(); } catch (e) {
      if (isFicusError(e)) throw ApplicationFailure.create({ type: e.code, message: `${what}: ${e.message}`, nonRetryable: !e.retriable });
      throw e;
    }
  };
  /** A denied or missing table fails with MIGRATION_NOT_PROVISIONED, not retried (only provisioning helps). */
  const provisioned = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try { return await fn(); } catch (e) {
      const err = asNotProvisioned(e, what, deps.dbUser ?? "the migration worker's MariaDB user");
      if (err !== e && isFicusError(err)) throw ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: true });
      throw e;
    }
  };
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(timeout) });
    const text = await res.text();
    return { status: res.status, text, type: res.headers.get('content-type') ?? '' };
  };

  return {
    async recordAudit(e: AuditEntry): Promise<void> {
      await provisioned('writing the audit log', () => deps.store.appendAudit(e));
      deps.log.info({ migration: e.migration, step: e.step, kind: e.kind, data: e.data }, e.message);
    },
    async ensureFlag(flag: string): Promise<void> {
      await flagCall(`ensure flag ${flag}`, () => deps.unleash.ensureFlag(flag, 'Strangler proxy route mode, driven by a Ficus migration'));
    },
    async setRouteMode(a: { flag: string; mode: 'legacy' | 'shadow' | 'canary' | 'service'; percent: number }): Promise<void> {
      await flagCall(`set ${a.flag} to ${a.mode} ${a.percent}%`, () => deps.unleash.setMode(a.flag, a.mode, a.percent));
    },
    /** The proxy's counters for these routes, or why they could not be read (never throws for that). */
    async sampleProxyMetrics(routes: string[]): Promise<{ sample?: MetricsSample; error?: string }> {
      try {
        const r = await get(`${deps.proxyAdmin.url.replace(/\/$/, '')}/metrics`, { authorization: `Bearer ${deps.proxyAdmin.token}` });
        if (r.status !== 200) return { error: `proxy admin /metrics answered ${r.status}` };
        return { sample: sampleFromProxyMetrics(r.text, routes, Date.now()) };
      } catch (e) { return { error: `proxy admin ${deps.proxyAdmin.url} unreachable: ${reason(e)}` }; }
    },
    /**
     * The metric gates' PromQL over every replica, run at one instant; each query's single value
     * (null: no series, or NaN as for 0/0), or why they could not be read (never throws for that).
     */
    async queryGateMetrics(queries: Partial<Record<GateQueryName, string>>): Promise<{ figures?: GateFigures; error?: string }> {
      if (!deps.promql) return { error: 'this worker has no metrics server configured (FICUS_METRICS_URL)' };
      const at = new Date();
      try {
        const entries = await Promise.all(Object.entries(queries).map(async ([name, q]) => {
          const v = singleValue(await deps.promql!.query(q!, { time: at }));
          return [name, v === undefined || !Number.isFinite(v) ? null : v] as const;
        }));
        return { figures: Object.fromEntries(entries) as GateFigures };
      } catch (e) {
        // an invalid query is the declaration's mistake: the step waits and says which (it never passes on it)
        return { error: isFicusError(e) ? `${e.code}: ${e.message}` : reason(e) };
      }
    },
    /** The same GETs to legacy and to the service, compared (status and JSON body, some keys ignored). */
    async runProbes(a: { service: string; paths: string[]; ignoreKeys: string[] }): Promise<ProbeOutcome> {
      const legacy = deps.targets.legacy;
      const service = deps.targets[a.service];
      if (!legacy || !service) return { total: 0, mismatched: 0, failed: 0, examples: [`no URL for target ${legacy ? a.service : 'legacy'}`] };
      const ignore = new Set(a.ignoreKeys);
      const out: ProbeOutcome = { total: 0, mismatched: 0, failed: 0, examples: [] };
      await Promise.all(a.paths.map(async (p) => {
        let l: Awaited<ReturnType<typeof get>>;
        try { l = await get(legacy + p); } catch (e) { out.examples.push(`${p}: legacy unreachable: ${reason(e)}`); return; }
        out.total++;
        let s: Awaited<ReturnType<typeof get>>;
        try { s = await get(service + p); } catch (e) { out.failed++; out.examples.push(`${p}: service failed: ${reason(e)}`); return; }
        if (s.status >= 500) { out.failed++; out.examples.push(`${p}: service answered ${s.status}`); return; }
        if (s.status !== l.status) { out.mismatched++; out.examples.push(`${p}: status ${s.status}, legacy ${l.status}`); return; }
        let diff: string | null;
        try { diff = firstDifference(stripKeys(JSON.parse(l.text), ignore), stripKeys(JSON.parse(s.text), ignore)); } catch { diff = l.text === s.text ? null : '(body, not JSON)'; }
        if (diff) { out.mismatched++; out.examples.push(`${p}: ${diff}`); }
      }));
      return out;
    },
    async readCdcLag(domain: SyncDomain): Promise<LagOutcome> {
      if (!deps.sync) return { events: null, seconds: null, error: 'no sync control configured for this worker' };
      try {
        const [f, r] = await Promise.all([deps.sync.lag(domain, 'forward'), deps.sync.lag(domain, 'reverse')]);
        const max = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
        return { events: max(f.events, r.events), seconds: max(f.seconds, r.seconds) };
      } catch (e) { return { events: null, seconds: null, error: reason(e) }; }
    },
    async verifyParity(config: Pick<MigrationDeclaration, 'name' | 'tables' | 'databases'>): Promise<ParityOutcome> {
      const r = await provisioned(`parity of ${config.name}`, () => verifyMigrationParity(config, deps.databases, { onProgress: () => heartbeat() }));
      const summary = r.tables.map((t) => `${t.table}: ${t.clean ? 'clean' : `${t.differencesTotal} differences (${t.differences.slice(0, 3).map((d) => `${d.kind} ${d.key}${d.columns ? ` ${d.columns.map((c) => c.column).join(',')}` : ''}`).join('; ')})`}`).join('; ');
      return { clean: r.clean, differencesTotal: r.differencesTotal, rowsCompared: r.rowsCompared, summary: `${r.rowsCompared} rows compared: ${summary}` };
    },
    async setSyncDirections(a: { domain: SyncDomain; forward: boolean; reverse: boolean }): Promise<void> {
      if (!deps.sync) throw ApplicationFailure.create({ type: 'SYNC_CONTROL_MISSING', message: 'this worker has no sync control: the write cutover cannot turn the sync around', nonRetryable: true });
      const sync = deps.sync;
      await provisioned(`requesting ${a.domain} sync directions`, () => sync.setDirections(a.domain, { forward: a.forward, reverse: a.reverse }));
    },
    /** The write switch (switch/switch-ownership.ts), one activity so the hold costs no Temporal round trips. */
    async switchWrites(r: SwitchRequest): Promise<SwitchOutcome> {
      if (!deps.sync || !deps.switching) throw ApplicationFailure.create({ type: 'SYNC_CONTROL_MISSING', message: 'this worker has no sync control or ownership store: writes cannot switch', nonRetryable: true });
      try {
        const ports = { ...deps.switching, sync: deps.sync, progress: (what: string) => heartbeat(what) };
        return await provisioned(`the write switch of unit ${r.unit}`, () => switchOwnership(ports, r));
      } catch (e) {
        if (isFicusError(e)) throw ApplicationFailure.create({ type: e.code, message: e.message, nonRetryable: !e.retriable });
        throw e;
      }
    },
    /** The backfill of a migration's tables, resumable (positions stored per chunk), heartbeating its progress. */
    async runBackfill(input: BackfillInput): Promise<BackfillResult> {
      return provisioned(`the backfill of ${input.config.name}`, () => backfillActivity(deps, input));
    },
    async syncLag(a: { domain: SyncDomain; direction: 'forward' | 'reverse' }): Promise<{ events: number | null; seconds: number | null }> {
      if (!deps.sync) throw ApplicationFailure.create({ type: 'SYNC_CONTROL_MISSING', message: 'this worker has no sync control', nonRetryable: true });
      return deps.sync.lag(a.domain, a.direction);
    },
  };
};

export type MigrationActivities = ReturnType<typeof createMigrationActivities>;
