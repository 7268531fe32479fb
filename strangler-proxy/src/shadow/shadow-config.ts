import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseConfig } from '@ficus/common/core';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

const envSchema = z.object({
  /** Per-route shadow rules (sampling, bounds, comparison, noise, write safety, redaction). A missing file means defaults. */
  FICUS_PROXY_SHADOW_RULES_FILE: z.string().min(1).default(`${packageRoot}shadow-rules.json`),
  /**
   * Where results are kept: `mysql://user:password@host:port/database` (tables are created by the
   * proxy's own migrations), or `memory` (lost on restart; the default on a dev box).
   * Example: `FICUS_PROXY_SHADOW_DB_URL=mysql://ficus_proxy:secret@127.0.0.1:13306/ficus_proxy`.
   */
  FICUS_PROXY_SHADOW_DB_URL: z.union([z.literal('memory'), z.string().regex(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+$/, 'expected memory or mysql://user:password@host:port/database')]).default('memory'),
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
}

/** The shadow settings from the environment, read once at start. */
export const readShadowConfig = (env: NodeJS.ProcessEnv = process.env): Readonly<ShadowConfig> => {
  const e = parseConfig(envSchema, env, 'environment');
  return Object.freeze({ shedFromUtilization: e.FICUS_PROXY_SHADOW_SHED_FROM_UTILIZATION, shedFromMachineCpu: e.FICUS_PROXY_SHADOW_SHED_FROM_MACHINE_CPU, rulesFile: e.FICUS_PROXY_SHADOW_RULES_FILE, cdcUrl: e.FICUS_PROXY_CDC_URL === 'none' ? undefined : e.FICUS_PROXY_CDC_URL.replace(/\/$/, ''), dbUrl: e.FICUS_PROXY_SHADOW_DB_URL === 'memory' ? undefined : e.FICUS_PROXY_SHADOW_DB_URL });
};
