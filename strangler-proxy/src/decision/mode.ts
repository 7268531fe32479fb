/**
 * How a route's mode is modelled in Unleash (see docs/components/strangler-proxy.md):
 * - flag off in the environment (or unknown)        → `legacy`
 * - flag on, a `flexibleRollout` strategy with rollout P% and stickiness `default`
 *   (user id, else session id), carrying one strategy variant named after the mode:
 *     `shadow`  → legacy serves; P% of users' requests are mirrored to the service
 *     `canary`  → P% of users (sticky) are served by the service, the rest by legacy
 *     `service` → the service serves (P should be 100; users outside P stay on legacy)
 * - flag on without a mode variant                   → `legacy` (a misconfiguration, shown in the admin API)
 */
export const modes = ['legacy', 'shadow', 'canary', 'service'] as const;
export type Mode = (typeof modes)[number];

export const isMode = (s: unknown): s is Mode => typeof s === 'string' && (modes as readonly string[]).includes(s);

/** What the Unleash evaluation of one flag for one request says. */
export interface FlagEvaluation {
  /** The flag is on and this request's user falls inside the rollout. */
  readonly enabled: boolean;
  /** Strategy variant name when enabled (the mode), else undefined. */
  readonly variant: string | undefined;
}

/** The in-memory flag state as the route decision sees it. */
export interface FlagView {
  /** True once the last successful contact with Unleash is older than the staleness bound. */
  readonly stale: boolean;
  evaluate(flag: string, userId: string | undefined, sessionId: string | undefined): FlagEvaluation;
}
