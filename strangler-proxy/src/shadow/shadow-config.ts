import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { devProxyShadowDbPassword, parseConfig, readStackEnv } from '@ficus/common/core';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

const envSchema = z.object({
  /** Per-route shadow rules (sampling, bounds, comparison, noise, write safety, redaction). A missing file means defaults. */
  FICUS_PROXY_SHADOW_RULES_FILE: z.string().min(1).default(`${packageRoot}shadow-rules.json`),
  /**
   * Where results are kept: `mysql://user:password@host:port/database` (the proxy brings its tables to
   * its own schema there, so several replicas and restarts share them), or `memory` (one replica's,
   * lost on restart). Default: the local stack's MariaDB, database and user `ficus_proxy` (created by
   * `ficus stack up`); production mode refuses the default password.
   * Example: `FICUS_PROXY_SHADOW_DB_URL=mysql://ficus_proxy:secret@10.0.0.5:3306/ficus_proxy`.
   */
  FICUS_PROXY_SHADOW_DB_URL: z.union([z.literal('memory'), z.string().regex(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+$/, 'expected memory or mysql://user:password@host:port/database')]).optional(),
  /** Mismatch records older than this are deleted (0: kept until the row cap). Example: `FICUS_PROXY_SHADOW_RETENTION_HOURS=72`. */
  FICUS_PROXY_SHADOW_RETENTION_HOURS: z.coerce.number().min(0).max(24 * 366).default(168),
  /** At most this many mismatch records are kept, the newest (counters are never pruned). */
  FICUS_PROXY_SHADOW_MAX_MISMATCHES: z.coerce.number().int().min(100).max(100_000_000).default(100_000),
  /** How often a replica prunes (every replica does; the deletes are idempotent). */
  FICUS_PROXY_SHADOW_PRUNE_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(60_000),
  /**
   * The CDC process (cdc/src/main.ts), asked "has position X been applied?" by read-after-write
   * comparisons; `none` to rely on the route's fixed wait. Default: the local CDC process.
   */
  FICUS_PROXY_CDC_URL: z.union([z.literal('none'), z.string().regex(/^http:\/\/[^/]+\/?$/, 'expected none or http://host:port')]).default('http://127.0.0.1:3201'),
  /**
   * Event-loop utilisation (0–1) of the proxy from which new shadow copies are shed, a growing share
   * up to all of them 0.15 above it, so the shadow never takes the primary's CPU; 1 turns it off.
   */
  FICUS_PROXY_SHADOW_SHED_FROM_UTILIZATION: z.coerce.number().min(0.1).max(1).default(0.5),
  FICUS_PROXY_SHADOW_SHED_FROM_MACHINE_CPU: z.coerce.number().min(0.1).max(1).default(0.75),
});

export interface ShadowConfig {
  /** Load guard threshold on the proxy's event-loop utilisation (1: off). */
  shedFromUtilization: number;
  /** Load guard threshold on the host's busy CPU share, all cores (1: off). */
  shedFromMachineCpu: number;
  rulesFile: string;
  /** undefined: no CDC position check. */
  cdcUrl: string | undefined;
  /** undefined: in-memory store. */
  dbUrl: string | undefined;
  /** Mismatch records kept: newer than `maxAgeMs` (0: no age limit) and at most `maxRows`; pruned every `intervalMs`. */
  retention: { maxAgeMs: number; maxRows: number; intervalMs: number };
}

/** The local stack's shadow database for the proxy (provisioned by `ficus stack up`). */
export const shadowDatabase = { database: 'ficus_proxy', user: 'ficus_proxy' } as const;

const defaultDbUrl = (env: NodeJS.ProcessEnv) => {
  const s = readStackEnv(env);
  return `mysql://${shadowDatabase.user}:${encodeURIComponent(devProxyShadowDbPassword)}@${s.FICUS_MARIADB_HOST}:${s.FICUS_MARIADB_PORT}/${shadowDatabase.database}`;
};

/** The shadow settings from the environment, read once at start. */
export const readShadowConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<ShadowConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  const dbUrl = e.FICUS_PROXY_SHADOW_DB_URL ?? defaultDbUrl(env);
  return Object.freeze({
    shedFromUtilization: e.FICUS_PROXY_SHADOW_SHED_FROM_UTILIZATION, shedFromMachineCpu: e.FICUS_PROXY_SHADOW_SHED_FROM_MACHINE_CPU, rulesFile: e.FICUS_PROXY_SHADOW_RULES_FILE,
    cdcUrl: e.FICUS_PROXY_CDC_URL === 'none' ? undefined : e.FICUS_PROXY_CDC_URL.replace(/\/$/, ''), dbUrl: dbUrl === 'memory' ? undefined : dbUrl,
    retention: { maxAgeMs: e.FICUS_PROXY_SHADOW_RETENTION_HOURS * 3_600_000, maxRows: e.FICUS_PROXY_SHADOW_MAX_MISMATCHES, intervalMs: e.FICUS_PROXY_SHADOW_PRUNE_INTERVAL_MS },
  });
};
