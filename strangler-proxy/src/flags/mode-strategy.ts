import { isMode, type Mode } from '../decision/mode.ts';

/** A strategy as the Unleash client receives it (and as the Admin API accepts it, minus ids). */
export interface ModeStrategy {
  name: 'flexibleRollout';
  parameters: { rollout: string; stickiness: 'default'; groupId: string };
  constraints: [];
  variants: Array<{ name: Mode; weight: 1000; weightType: 'variable'; stickiness: 'default' }>;
}

/**
 * The one strategy that carries a route's mode: a `flexibleRollout` at `percent`% with stickiness
 * `default` (user id, else session id) and one strategy variant named after the mode.
 * `groupId` is the flag name, so two flags at 50% do not pick the same half of the users.
 */
export const modeStrategy = (flag: string, mode: Exclude<Mode, 'legacy'>, percent: number): ModeStrategy => ({
  name: 'flexibleRollout',
  parameters: { rollout: String(percent), stickiness: 'default', groupId: flag },
  constraints: [],
  variants: [{ name: mode, weight: 1000, weightType: 'variable', stickiness: 'default' }],
});

/** What a flag definition means for the route(s) it governs, for people (admin API, `ficus routes`). */
export interface FlagState {
  /** The flag exists in the state the proxy holds. */
  exists: boolean;
  /** On in the proxy's environment. */
  enabled: boolean;
  /** The route-level mode: `legacy` when off, unknown or without a mode variant. */
  mode: Mode;
  /** Rollout percentage of the mode strategy (users to whom the mode applies). */
  percent: number;
  /** Set when the flag is on but carries no usable mode (the proxy then treats it as legacy). */
  problem?: string;
}

interface StrategyLike { name?: string; parameters?: Record<string, unknown> | undefined; variants?: Array<{ name?: string }> | undefined; disabled?: boolean }

/** Reads the mode back from a flag definition (client or Admin API shape). */
export const flagStateOf = (def: { enabled?: boolean; strategies?: StrategyLike[] | undefined } | undefined): FlagState => {
  if (!def) return { exists: false, enabled: false, mode: 'legacy', percent: 0 };
  const enabled = def.enabled === true;
  const strategy = (def.strategies ?? []).find((s) => !s.disabled && s.variants?.some((v) => isMode(v.name)));
  const variant = strategy?.variants?.find((v) => isMode(v.name))?.name;
  const percent = strategy ? Number(strategy.parameters?.rollout ?? 100) : 0;
  if (!enabled) return { exists: true, enabled, mode: 'legacy', percent: Number.isFinite(percent) ? percent : 0 };
  if (!strategy || !isMode(variant)) {
    return { exists: true, enabled, mode: 'legacy', percent: 0, problem: 'flag is on but has no strategy variant named legacy/shadow/canary/service' };
  }
  return { exists: true, enabled, mode: variant, percent: Number.isFinite(percent) ? percent : 0 };
};
