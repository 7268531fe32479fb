import type { ShadowSyncCheck } from './shadow-comparator.ts';

export interface CdcSyncCheckOptions {
  /** The CDC process's base URL (`/positions/current`, `/positions/applied`). */
  baseUrl: string;
  /** The CDC pipeline (or domain) a route's service reads, e.g. its service name; undefined: none. */
  pipelineOf: (routeId: string) => string | undefined;
  pollMs?: number;
}

type Applied = { applied: boolean } | { error: { code: string } };

/** ShadowSyncCheck over the CDC process's HTTP API; anything unexpected is "unknown" (undefined). */
export const createCdcSyncCheck = (o: CdcSyncCheckOptions): ShadowSyncCheck => {
  const get = async <T>(path: string, timeoutMs: number): Promise<{ status: number; body: T } | undefined> => {
    try {
      const res = await fetch(`${o.baseUrl}${path}`, { signal: AbortSignal.timeout(Math.max(50, timeoutMs)) });
      return { status: res.status, body: (await res.json()) as T };
    } catch {
      return undefined;
    }
  };
  return {
    async position(routeId) {
      if (!o.pipelineOf(routeId)) return undefined;
      const r = await get<{ position?: unknown }>('/positions/current', 1000);
      return r?.status === 200 && typeof r.body.position === 'string' ? r.body.position : undefined;
    },
    async waitApplied(routeId, position, maxWaitMs) {
      const pipeline = o.pipelineOf(routeId);
      if (!pipeline) return undefined;
      const deadline = Date.now() + maxWaitMs;
      for (;;) {
        const r = await get<Applied>(`/positions/applied?pipeline=${encodeURIComponent(pipeline)}&position=${encodeURIComponent(position)}`, Math.max(50, deadline - Date.now()));
        if (!r || r.status !== 200 || !('applied' in r.body)) return Date.now() >= deadline && r === undefined ? false : undefined;
        if (r.body.applied) return true;
        if (Date.now() >= deadline) return false;
        await new Promise((resolve) => { setTimeout(resolve, Math.min(o.pollMs ?? 50, Math.max(1, deadline - Date.now()))).unref(); });
      }
    },
  };
};
