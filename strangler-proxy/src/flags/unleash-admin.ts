import { FicusError } from '@ficus/common/core';
import type { Mode } from '../decision/mode.ts';
import { flagStateOf, modeStrategy, type FlagState } from './mode-strategy.ts';

interface AdminStrategy {
  id: string;
  name: string;
  parameters?: Record<string, unknown>;
  variants?: Array<{ name: string }>;
  disabled?: boolean;
}
interface AdminFeature {
  name: string;
  environments: Array<{ name: string; enabled: boolean; strategies: AdminStrategy[] }>;
}

export interface UnleashAdmin {
  getFlag(name: string): Promise<AdminFeature | undefined>;
  /** The flag's state in the environment, read the same way the proxy reads it. */
  flagState(name: string): Promise<FlagState>;
  /**
   * Creates the flag if missing and gives the environment its mode strategy if it has none.
   * Reads first, so running it twice changes nothing (posting a strategy twice would duplicate it).
   */
  ensureFlag(name: string, description?: string): Promise<{ created: boolean; strategyAdded: boolean }>;
  /** Sets a flag's mode: `legacy` turns it off; other modes make the mode strategy the only one and turn it on. */
  setMode(name: string, mode: Mode, percent?: number): Promise<void>;
  /** Archives and deletes a flag (tests clean up with this). */
  deleteFlag(name: string): Promise<void>;
}

/** A thin client for the Unleash Admin API (v7/v8) covering what the proxy's flags need. */
export const createUnleashAdmin = (o: { url: string; adminToken: string; environment?: string; project?: string }): UnleashAdmin => {
  const env = o.environment ?? 'development';
  const base = `${o.url.replace(/\/$/, '')}/api/admin/projects/${o.project ?? 'default'}/features`;
  const call = async (method: string, url: string, body?: unknown, okStatuses: number[] = []): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: o.adminToken, 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new FicusError('UNLEASH_UNREACHABLE', `cannot reach Unleash at ${o.url}: ${(e as Error).message}`, { retriable: true, cause: e });
    }
    if (!res.ok && !okStatuses.includes(res.status)) {
      const text = await res.text().catch(() => '');
      throw new FicusError('UNLEASH_ADMIN_FAILED', `${method} ${url.replace(o.url, '')} answered ${res.status}: ${text.slice(0, 300)}`, {
        retriable: res.status >= 500,
        details: { status: res.status },
      });
    }
    return res;
  };
  const flagUrl = (name: string) => `${base}/${encodeURIComponent(name)}`;
  const envOf = (f: AdminFeature) => f.environments.find((e) => e.name === env);
  const isModeStrategy = (s: AdminStrategy) => s.name === 'flexibleRollout' && (s.variants ?? []).length > 0;

  const getFlag = async (name: string) => {
    const res = await call('GET', flagUrl(name), undefined, [404]);
    if (res.status === 404) { await res.body?.cancel(); return undefined; }
    return (await res.json()) as AdminFeature;
  };

  const admin: UnleashAdmin = {
    getFlag,
    async flagState(name) {
      const f = await getFlag(name);
      const e = f && envOf(f);
      return flagStateOf(f && e ? { enabled: e.enabled, strategies: e.strategies } : undefined);
    },
    async ensureFlag(name, description) {
      let f = await getFlag(name);
      let created = false;
      if (!f) {
        await call('POST', base, { name, type: 'release', description: description ?? 'Strangler proxy route mode (see docs/components/strangler-proxy.md)' });
        created = true;
        f = await getFlag(name);
      }
      const e = f && envOf(f);
      if (!e) throw new FicusError('UNLEASH_ENVIRONMENT_MISSING', `flag ${name} has no environment "${env}" in Unleash`);
      if (e.strategies.some(isModeStrategy)) return { created, strategyAdded: false };
      // Off, with the first step of a migration ready: turning the flag on starts shadowing.
      await call('POST', `${flagUrl(name)}/environments/${env}/strategies`, modeStrategy(name, 'shadow', 100));
      return { created, strategyAdded: true };
    },
    async setMode(name, mode, percent = 100) {
      if (!(percent >= 0 && percent <= 100)) throw new FicusError('FLAG_PERCENT_INVALID', `expected a percentage 0–100, got ${percent}`, { status: 400 });
      const f = await getFlag(name);
      if (!f) throw new FicusError('FLAG_NOT_FOUND', `flag ${name} does not exist in Unleash (run: ficus flags sync)`, { status: 404 });
      const e = envOf(f);
      if (!e) throw new FicusError('UNLEASH_ENVIRONMENT_MISSING', `flag ${name} has no environment "${env}" in Unleash`);
      if (mode === 'legacy') {
        await call('POST', `${flagUrl(name)}/environments/${env}/off`);
        return;
      }
      const strategiesUrl = `${flagUrl(name)}/environments/${env}/strategies`;
      const wanted = modeStrategy(name, mode, percent);
      const [keep, ...others] = [...e.strategies.filter(isModeStrategy), ...e.strategies.filter((s) => !isModeStrategy(s))];
      if (keep && isModeStrategy(keep)) await call('PUT', `${strategiesUrl}/${keep.id}`, wanted);
      else await call('POST', strategiesUrl, wanted);
      // The mode strategy must be the only one: another strategy would decide some requests first.
      for (const s of keep && !isModeStrategy(keep) ? [keep, ...others] : others) await call('DELETE', `${strategiesUrl}/${s.id}`);
      if (!e.enabled) await call('POST', `${flagUrl(name)}/environments/${env}/on`);
    },
    async deleteFlag(name) {
      await call('DELETE', flagUrl(name), undefined, [404]);
      await call('DELETE', `${o.url.replace(/\/$/, '')}/api/admin/archive/${encodeURIComponent(name)}`, undefined, [404]);
    },
  };
  return admin;
};
