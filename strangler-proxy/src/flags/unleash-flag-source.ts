import { InMemStorageProvider, Unleash, UnleashEvents } from 'unleash-client';
import type { Logger } from '@ficus/common/core';
import type { FlagEvaluation } from '../decision/mode.ts';
import { bootstrapFeatures, type FlagBootstrap } from './flag-bootstrap.ts';
import type { FlagSource } from './flag-source.ts';
import { flagStateOf, type FlagState } from './mode-strategy.ts';

export interface UnleashFlagSourceOptions {
  url: string;
  clientToken: string;
  appName: string;
  refreshMs: number;
  stalenessBoundMs: number;
  bootstrap: FlagBootstrap;
  log: Logger;
  /** Clock for staleness (tests). */
  now?: () => number;
  /** How often usage metrics go to Unleash (the SDK's default: 60 s; tests use less). */
  metricsIntervalMs?: number;
}

const off: FlagEvaluation = Object.freeze({ enabled: false, variant: undefined });

/**
 * Flag state from the real Unleash server via `unleash-client`, evaluated in memory.
 * Staleness counts from the last answer the client got (200 or 304); bootstrap state counts as
 * fresh at start, so a proxy that never reaches Unleash serves the bootstrap for one staleness
 * bound and then the routes' safe targets.
 */
export const createUnleashFlagSource = (o: UnleashFlagSourceOptions): FlagSource => {
  const now = o.now ?? Date.now;
  const features = bootstrapFeatures(o.bootstrap);
  let freshAt: number | undefined;
  let syncedAt: number | undefined;
  let ready = false;
  // The bootstrap's own `changed` event must not count as an answer from Unleash. It is emitted
  // inside start()'s microtasks, before any network reply can arrive.
  let bootstrapChangePending = false;
  let bootstrapLoaded = false;
  const unleash = new Unleash({
    url: o.url,
    appName: o.appName,
    customHeaders: { Authorization: o.clientToken },
    refreshInterval: o.refreshMs,
    ...(o.metricsIntervalMs ? { metricsInterval: o.metricsIntervalMs } : {}),
    timeout: Math.max(1_000, Math.min(5_000, o.refreshMs * 2)),
    disableAutoStart: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: {
      bootstrapProvider: {
        readBootstrap: async () => {
          if (features.length === 0) return undefined;
          bootstrapChangePending = true;
          return { version: 2, features };
        },
      },
    },
  });
  /**
   * Per flag, the evaluation when it cannot depend on who asks (off, or one unconstrained strategy
   * at 100 % with at most one variant): computed once per flag state instead of per request.
   * `null` marks a flag that must be evaluated per request. Cleared whenever the state changes.
   * PERF: a single unconstrained gradual rollout with default stickiness is kept as `{ rollout, value }`:
   * a request with neither user id nor session id is then decided by `Math.random()`, which is what
   * the SDK's default stickiness falls back to for it (random), without the SDK's ~5–10 µs per call.
   * Requests with an id still go through the SDK, so each user's side stays exactly Unleash's.
   */
  type Plan = FlagEvaluation | { rollout: number; value: FlagEvaluation } | null;
  const constant = new Map<string, Plan>();
  const constantEvaluation = (flag: string): Plan => {
    const def = unleash.getFeatureToggleDefinition(flag);
    if (!def || !def.enabled) return off;
    const strategies = (def.strategies ?? []).filter((st) => !(st as { disabled?: boolean }).disabled);
    if (strategies.length !== 1) return null;
    const st = strategies[0]! as { name: string; parameters?: Record<string, unknown>; constraints?: unknown[]; segments?: unknown[]; variants?: unknown[] };
    if (st.constraints?.length || st.segments?.length || (st.variants?.length ?? 0) > 1) return null;
    const rollout = st.name === 'default' ? 100 : st.name === 'flexibleRollout' ? Number(st.parameters?.rollout) : NaN;
    const stickiness = st.parameters?.stickiness ?? 'default';
    if (rollout !== 100 && !(rollout >= 0 && rollout < 100 && stickiness === 'default' && (st.variants?.length ?? 0) <= 1)) return null;
    // the SDK's choice: the strategy's variants when it has some, else the feature's
    const variants = (st.variants?.length ? st.variants : def.variants) as Array<{ name: string }> | undefined;
    if (rollout !== 100) {
      if ((variants?.length ?? 0) > 1) return null;
      return { rollout, value: { enabled: true, variant: variants?.[0]?.name } };
    }
    const v = unleash.getVariant(flag, {});
    planCounted = true; // the SDK counted this evaluation: it answers the request that made the plan
    return v.feature_enabled ? { enabled: true, variant: v.enabled ? v.name : undefined } : off;
  };
  let planCounted = false;
  /**
   * An evaluation the SDK did not make still shows in Unleash's usage metrics ("last seen", yes/no
   * and variant counts), counted exactly as `getVariant` counts its own.
   */
  const counted = (flag: string, e: FlagEvaluation): FlagEvaluation => {
    unleash.countVariant(flag, e.variant ?? 'disabled');
    unleash.count(flag, e.enabled);
    return e;
  };
  const markSynced = () => {
    syncedAt = now();
    freshAt = syncedAt;
  };
  unleash.on(UnleashEvents.Unchanged, markSynced);
  unleash.on(UnleashEvents.Changed, () => {
    constant.clear();
    if (bootstrapChangePending) {
      bootstrapChangePending = false;
      bootstrapLoaded = true;
      return;
    }
    markSynced();
  });
  let lastError = '';
  unleash.on(UnleashEvents.Error, (err: Error) => {
    // One line per distinct problem: an unreachable server would otherwise log every poll.
    if (err.message !== lastError) o.log.warn({ err: err.message }, 'unleash client error (keeping last-known flag state)');
    lastError = err.message;
  });
  unleash.on(UnleashEvents.Warn, (msg: unknown) => o.log.debug({ msg: String(msg) }, 'unleash client warning'));

  return {
    get stale() {
      return freshAt === undefined || now() - freshAt > o.stalenessBoundMs;
    },
    evaluate(flag, userId, sessionId) {
      let c = constant.get(flag);
      if (c === undefined) {
        planCounted = false;
        c = constantEvaluation(flag);
        constant.set(flag, c);
        if (c && planCounted && !('rollout' in c)) return c;
      }
      if (c) {
        if (!('rollout' in c)) return counted(flag, c);
        if (userId === undefined && sessionId === undefined) return counted(flag, Math.random() * 100 < c.rollout ? c.value : off);
      }
      const v = unleash.getVariant(flag, { userId, sessionId });
      if (!v.feature_enabled) return off;
      return { enabled: true, variant: v.enabled ? v.name : undefined };
    },
    async start(readyTimeoutMs) {
      const isReady = new Promise<boolean>((resolve) => {
        unleash.once(UnleashEvents.Ready, () => resolve(true));
        setTimeout(() => resolve(false), readyTimeoutMs).unref();
      });
      void unleash.start();
      ready = await isReady;
      if (ready) {
        // Prefer the server's state over the bootstrap when it answers quickly.
        const deadline = Math.min(readyTimeoutMs, o.refreshMs * 2);
        await new Promise<void>((resolve) => {
          if (syncedAt !== undefined) return resolve();
          const t = setTimeout(resolve, deadline);
          t.unref();
          unleash.once(UnleashEvents.Changed, () => { clearTimeout(t); resolve(); });
        });
      }
      // Bootstrap state counts as fresh from the moment the proxy starts serving with it.
      if (syncedAt === undefined && bootstrapLoaded) freshAt = now();
      return ready;
    },
    get ready() {
      return ready;
    },
    stalenessMs: () => (freshAt === undefined ? undefined : now() - freshAt),
    lastSyncAt: () => syncedAt,
    stalenessBoundMs: o.stalenessBoundMs,
    state: (flag): FlagState => flagStateOf(unleash.getFeatureToggleDefinition(flag)),
    close: () => {
      unleash.destroy();
      // destroy() drops the repository's listeners while a poll may still be in flight; its late
      // 'error' would otherwise be an unhandled error event and end the process.
      (unleash as unknown as { repository?: { on(e: string, f: () => void): void } }).repository?.on('error', () => {});
    },
  };
};
